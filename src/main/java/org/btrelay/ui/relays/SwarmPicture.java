package org.btrelay.ui.relays;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * This relay in the middle, the relays it knows around it, and a line for each link, coloured by
 * state (styled in CSS: {@code .swarm-link.state-linked} and so on). Rebuilt only when a relay
 * appears, goes or changes state, and on resize.
 */
public final class SwarmPicture extends Region {
    static final int MAX_DRAWN = 60;
    static final int MAX_LABELLED = 24;
    /** Set in code, not CSS: labels are placed by their measured width. */
    private static final Font LABEL_FONT = Font.font(11);
    private List<RelayRow> relays = List.of();

    public SwarmPicture() {
        getStyleClass().add("swarm-picture");
        setMinSize(160, 160);
        setPrefSize(320, 260);
        widthProperty().addListener((o, a, b) -> rebuild());
        heightProperty().addListener((o, a, b) -> rebuild());
    }

    public void show(List<RelayRow> rows) {
        this.relays = List.copyOf(rows);
        rebuild();
    }

    @Override
    protected void layoutChildren() {
        // The picture is absolute: it is rebuilt for the current size.
    }

    private void rebuild() {
        double w = getWidth();
        double h = getHeight();
        getChildren().clear();
        if (w <= 0 || h <= 0 || relays.isEmpty()) {
            return;
        }
        List<RelayRow> others = new ArrayList<>();
        for (RelayRow r : relays) {
            if (!r.self && others.size() < MAX_DRAWN) {
                others.add(r);
            }
        }
        boolean labels = others.size() <= MAX_LABELLED;
        double legend = 22;
        double cx = w / 2;
        double cy = (h - legend) / 2;
        double radius = Math.max(20, Math.min(w / 2 - (labels ? 70 : 16), (h - legend) / 2 - (labels ? 22 : 12)));
        List<Node> lines = new ArrayList<>();
        List<Node> dots = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            RelayRow r = others.get(i);
            double a = -Math.PI / 2 + 2 * Math.PI * i / others.size();
            double x = cx + radius * Math.cos(a);
            double y = cy + radius * Math.sin(a);
            String state = "state-" + r.state.get().replace(' ', '-');
            Line l = new Line(cx, cy, x, y);
            l.getStyleClass().addAll("swarm-link", state);
            lines.add(l);
            Circle c = new Circle(x, y, 7);
            c.getStyleClass().addAll("swarm-node", state);
            dots.add(c);
            if (labels) {
                dots.add(label(r.name.get(), x, y, Math.cos(a), Math.sin(a)));
            }
        }
        getChildren().addAll(lines);
        getChildren().addAll(dots);
        Circle me = new Circle(cx, cy, 11);
        me.getStyleClass().addAll("swarm-node", "swarm-self");
        getChildren().add(me);
        double lx = 8;
        double ly = h - 10;
        for (String[] item : new String[][] {{"swarm-self", "this relay"}, {"state-linked", "linked"},
            {"state-connecting", "connecting"}, {"state-down", "down"}}) {
            Circle dot = new Circle(lx + 4, ly - 4, 4);
            dot.getStyleClass().addAll("swarm-node", item[0]);
            Text t = new Text(lx + 12, ly, item[1]);
            t.setFont(LABEL_FONT);
            t.getStyleClass().add("swarm-label");
            getChildren().addAll(dot, t);
            lx += 22 + t.getLayoutBounds().getWidth();
        }
        if (relays.size() - 1 > others.size()) {
            Text more = new Text(lx + 8, ly, "+" + (relays.size() - 1 - others.size()) + " more");
            more.setFont(LABEL_FONT);
            more.getStyleClass().add("swarm-label");
            getChildren().add(more);
        }
    }

    /** A name beside its node, pushed outwards from the centre so it does not cover the links. */
    private static Text label(String s, double x, double y, double cos, double sin) {
        String shown = s.length() > 18 ? s.substring(0, 17) + "…" : s;
        Text t = new Text(shown);
        t.setFont(LABEL_FONT);
        t.getStyleClass().add("swarm-label");
        t.setTextOrigin(VPos.CENTER);
        double tw = t.getLayoutBounds().getWidth();
        double th = t.getLayoutBounds().getHeight();
        double tx;
        double ty = y;
        if (cos > 0.3) {
            tx = x + 11;
        } else if (cos < -0.3) {
            tx = x - 11 - tw;
        } else {
            tx = x - tw / 2;
            ty = y + (sin > 0 ? 1 : -1) * (9 + th / 2);
        }
        t.setX(tx);
        t.setY(ty);
        return t;
    }
}
