package org.btrelay.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much free heap the JVM keeps committed after a collection, set by the relay itself so that
 * {@code java -jar} and the installers' launchers behave alike. The JVM's default keeps up to 70 %
 * of the heap free (and resident) however little is live; a relay's live data is small next to
 * the heap it is given, so 10-20 % free is plenty and costs no throughput at these sizes. Both
 * flags are "manageable" (settable at run time) in HotSpot; one the user set on the command line
 * is left alone, and a JVM without them (not HotSpot) is left as it is.
 */
final class HeapDefaults {
    private static final Logger log = LoggerFactory.getLogger(HeapDefaults.class);

    /** In the order they can be set: the minimum may not pass the maximum at any step. */
    static final Map<String, String> FREE_RATIOS = new LinkedHashMap<>();

    static {
        FREE_RATIOS.put("MinHeapFreeRatio", "10");
        FREE_RATIOS.put("MaxHeapFreeRatio", "20");
    }

    private HeapDefaults() {}

    static void apply() {
        HotSpotDiagnosticMXBean vm;
        try {
            vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return;
        }
        if (vm == null) {
            return;
        }
        for (Map.Entry<String, String> e : FREE_RATIOS.entrySet()) {
            try {
                VMOption now = vm.getVMOption(e.getKey());
                if (now.getOrigin() == VMOption.Origin.DEFAULT) {
                    vm.setVMOption(e.getKey(), e.getValue());
                    log.debug("heap: {} = {}", e.getKey(), e.getValue());
                }
            } catch (RuntimeException notSettable) {
                log.debug("heap: {} left as it is: {}", e.getKey(), notSettable.getMessage());
            }
        }
    }
}
