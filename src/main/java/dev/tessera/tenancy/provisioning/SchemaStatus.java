package dev.tessera.tenancy.provisioning;

/** Migration state of one dedicated tenant schema as this instance last saw it. */
public record SchemaStatus(String schema, State state, String version, String error) {

    /** Whether the schema may be served. */
    public enum State {
        MIGRATING, CURRENT, FAILED
    }

    public boolean servable() {
        return state == State.CURRENT;
    }
}
