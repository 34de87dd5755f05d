package org.btrelay.ui.swarms;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** A swarm this relay is in, with how many relays of it are known and linked. */
public final class SwarmRow {
    final String key;
    final IntegerProperty relays = new SimpleIntegerProperty();
    final IntegerProperty linked = new SimpleIntegerProperty();
    final StringProperty note = new SimpleStringProperty("");

    SwarmRow(String key) {
        this.key = key;
    }

    public String key() { return key; }
    public IntegerProperty relaysProperty() { return relays; }
    public IntegerProperty linkedProperty() { return linked; }
    public StringProperty noteProperty() { return note; }
}
