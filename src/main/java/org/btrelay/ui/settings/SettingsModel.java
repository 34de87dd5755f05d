package org.btrelay.ui.settings;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;
import org.btrelay.app.RelaySettings;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.tracker.Limits;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.Snapshot;

/**
 * The settings form: text as typed, turned into {@link RelaySettings} and checked with
 * {@link RelaySettings#problems()} on save. Invalid settings are shown, never saved. Swarms apply
 * at once; the rest needs a restart of the relay, which the form offers.
 */
public final class SettingsModel implements SnapshotListener {
    /** Field keys, also used to mark the fields that have a problem. */
    static final String NAME = "name";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String PUBLIC_URL = "publicUrl";
    static final String INTERVAL = "interval";
    static final String DHT_PORT = "dhtPort";
    static final String BOOTSTRAP = "bootstrap";
    static final String PEERS = "peers";
    static final String SWARMS = "swarms";
    static final String CAPACITY = "capacity";
    static final String LIMIT_PREFIX = "limits.";
    static final List<String> CAPACITY_FIELDS = List.of("busyCpu", "fullCpu", "busyConnections", "fullConnections");

    private final NodeService service;
    private final Sampler sampler;
    final StringProperty name = new SimpleStringProperty("");
    final StringProperty host = new SimpleStringProperty("");
    final StringProperty port = new SimpleStringProperty("");
    final StringProperty publicUrl = new SimpleStringProperty("");
    final StringProperty interval = new SimpleStringProperty("");
    final BooleanProperty dht = new SimpleBooleanProperty();
    final StringProperty dhtPort = new SimpleStringProperty("");
    final StringProperty bootstrap = new SimpleStringProperty("");
    final StringProperty peers = new SimpleStringProperty("");
    final StringProperty swarms = new SimpleStringProperty("");
    final Map<String, StringProperty> limits = new LinkedHashMap<>();
    final Map<String, StringProperty> capacity = new LinkedHashMap<>();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ObservableSet<String> badFields = FXCollections.observableSet();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty restartNeeded = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObjectProperty<RelaySettings> loaded = new SimpleObjectProperty<>();

    public SettingsModel(NodeService service, Sampler sampler) {
        this.service = service;
        this.sampler = sampler;
        for (RecordComponent c : Limits.class.getRecordComponents()) {
            limits.put(c.getName(), new SimpleStringProperty(""));
        }
        for (String c : CAPACITY_FIELDS) {
            capacity.put(c, new SimpleStringProperty(""));
        }
        load(service.status().settings());
    }

    /** Fills the form from these settings. */
    public void load(RelaySettings s) {
        loaded.set(s);
        name.set(s.name());
        host.set(s.host());
        port.set(Integer.toString(s.port()));
        publicUrl.set(s.publicUrl() == null ? "" : s.publicUrl());
        interval.set(Integer.toString(s.interval()));
        dht.set(s.dht());
        dhtPort.set(s.dhtPort() == -1 ? "" : Integer.toString(s.dhtPort()));
        bootstrap.set(String.join("\n", s.bootstrap()));
        peers.set(String.join("\n", s.peers()));
        swarms.set(String.join("\n", s.swarms()));
        for (RecordComponent c : Limits.class.getRecordComponents()) {
            limits.get(c.getName()).set(String.valueOf(read(c, s.limits())));
        }
        CapacityThresholds t = s.capacity();
        double[] shares = {t.busyCpu(), t.fullCpu(), t.busyConnections(), t.fullConnections()};
        for (int i = 0; i < shares.length; i++) {
            capacity.get(CAPACITY_FIELDS.get(i)).set(trimZeros(shares[i] * 100));
        }
        problems.clear();
        badFields.clear();
    }

    /** Back to what is saved. */
    public void revert() {
        load(service.status().settings());
        message.set("");
    }

    /** The form as settings, with every problem found; {@code settings} is null when some field does not parse. */
    record Result(RelaySettings settings, List<String> problems, Set<String> fields) {}

    Result validate() {
        List<String> out = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        Integer p = integer(port, PORT, "port", out, fields);
        Integer iv = integer(interval, INTERVAL, "announce interval", out, fields);
        Integer dp = dhtPort.get() == null || dhtPort.get().isBlank() ? Integer.valueOf(-1)
                : integer(dhtPort, DHT_PORT, "DHT port", out, fields);
        int[] lim = new int[limits.size()];
        int i = 0;
        for (Map.Entry<String, StringProperty> e : limits.entrySet()) {
            Integer v = integer(e.getValue(), LIMIT_PREFIX + e.getKey(), "limits." + e.getKey(), out, fields);
            lim[i++] = v == null ? 0 : v;
        }
        double[] cap = new double[CAPACITY_FIELDS.size()];
        for (int j = 0; j < cap.length; j++) {
            String key = CAPACITY_FIELDS.get(j);
            String text = capacity.get(key).get() == null ? "" : capacity.get(key).get().trim();
            try {
                cap[j] = Double.parseDouble(text) / 100;
            } catch (NumberFormatException e) {
                out.add("capacity: " + key + " must be a percentage (is '" + text + "')");
                fields.add(CAPACITY + "." + key);
            }
        }
        if (!out.isEmpty()) {
            return new Result(null, out, fields);
        }
        Limits limitsValue = newLimits(lim);
        // The form's fields over the loaded settings: a setting the form does not show keeps its value.
        RelaySettings base = loaded.get() != null ? loaded.get() : RelaySettings.defaults();
        RelaySettings s = base.toBuilder()
                .name(name.get() == null ? "" : name.get().trim())
                .host(host.get() == null ? "" : host.get().trim())
                .port(p)
                .publicUrl(publicUrl.get() == null ? "" : publicUrl.get().trim())
                .interval(iv)
                .limits(limitsValue)
                .swarms(lines(swarms.get()))
                .dht(dht.get())
                .dhtPort(dp)
                .bootstrap(lines(bootstrap.get()))
                .peers(lines(peers.get()))
                .capacity(new CapacityThresholds(cap[0], cap[1], cap[2], cap[3]))
                .build();
        List<String> problemsFound = new ArrayList<>(s.problems());
        if (s.swarms().size() != new LinkedHashSet<>(s.swarms()).size()) {
            problemsFound.add("swarms: each key only once");
        }
        for (String m : problemsFound) {
            fields.add(fieldOf(m));
        }
        return new Result(s, problemsFound, fields);
    }

    /** The form differs from the settings it was filled from. */
    boolean dirty() {
        Result r = validate();
        return r.settings() == null || !r.settings().equals(loaded.get());
    }

    /** Checks and, when valid, saves (off the UI thread). @return whether it was valid */
    public boolean save() {
        Result r = validate();
        problems.setAll(r.problems());
        badFields.clear();
        badFields.addAll(r.fields());
        if (!r.problems().isEmpty()) {
            message.set("Not saved: fix the fields marked in red.");
            return false;
        }
        RelaySettings next = r.settings();
        run(service.save(next), () -> {
            loaded.set(next);
            message.set("Saved.");
        });
        return true;
    }

    /** Restarts the relay with the saved settings (off the UI thread). */
    public void restart() {
        message.set("Restarting the relay…");
        run(service.restart(), () -> message.set("Relay restarted."));
    }

    private void run(CompletableFuture<Void> action, Runnable done) {
        busy.set(true);
        action.whenComplete((v, e) -> {
            sampler.poke();
            Platform.runLater(() -> {
                busy.set(false);
                if (e == null) {
                    done.run();
                } else {
                    Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    message.set("Failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
                }
            });
        });
    }

    @Override
    public void apply(Snapshot s) {
        if (!s.settings().equals(loaded.get()) && !busy.get() && !dirty()) {
            // Saved elsewhere (a swarm joined in the Swarms view): show it, unless the user is editing.
            load(s.settings());
        }
        RelaySettings running = s.node() == null ? null : s.node().running();
        List<String> pending = NodeService.needRestart(running, s.settings());
        restartNeeded.set(pending.isEmpty() ? "" : "Saved, but the relay still runs with the old " + String.join(", ", pending)
                + ". Restart it to apply " + (pending.size() == 1 ? "that change." : "these changes."));
    }

    static String fieldOf(String problem) {
        String p = problem.toLowerCase(Locale.ROOT);
        if (p.startsWith("name")) {
            return NAME;
        }
        if (p.startsWith("port")) {
            return PORT;
        }
        if (p.startsWith("interval") || p.startsWith("announce interval")) {
            return INTERVAL;
        }
        if (p.startsWith("public url")) {
            return PUBLIC_URL;
        }
        if (p.startsWith("dhtport") || p.startsWith("dht port")) {
            return DHT_PORT;
        }
        if (p.startsWith("swarms")) {
            return SWARMS;
        }
        if (p.startsWith("bootstrap")) {
            return BOOTSTRAP;
        }
        if (p.startsWith("peer")) {
            return PEERS;
        }
        if (p.startsWith("capacity")) {
            return CAPACITY;
        }
        if (problem.startsWith(LIMIT_PREFIX)) {
            int space = problem.indexOf(' ');
            return space < 0 ? problem : problem.substring(0, space);
        }
        return "";
    }

    private static Integer integer(StringProperty text, String field, String label, List<String> out, Set<String> fields) {
        String t = text.get() == null ? "" : text.get().trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            out.add(label + " must be a whole number (is '" + t + "')");
            fields.add(field);
            return null;
        }
    }

    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("\\R")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static Limits newLimits(int[] values) {
        try {
            Class<?>[] types = new Class<?>[values.length];
            Object[] args = new Object[values.length];
            for (int i = 0; i < values.length; i++) {
                types[i] = int.class;
                args[i] = values[i];
            }
            return Limits.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Limits is expected to hold int components only", e);
        }
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trimZeros(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    public ObservableList<String> problems() { return problems; }
    public ObservableSet<String> badFields() { return badFields; }
    public StringProperty message() { return message; }
    public StringProperty restartNeeded() { return restartNeeded; }
    public BooleanProperty busy() { return busy; }
    public ObjectProperty<RelaySettings> loaded() { return loaded; }
}
