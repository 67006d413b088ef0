package org.alexnetcuda.device.sim;

import org.alexnetcuda.device.Handles.Event;

/** A simulated CUevent: the host clock (System.nanoTime) when its record ran; negative until then. */
final class SimEvent implements Event {
    final SimStreams owner;
    final int id;
    long recordedNanos = -1;
    boolean destroyed;

    SimEvent(SimStreams owner, int id) {
        this.owner = owner;
        this.id = id;
    }

    @Override
    public String toString() {
        return "event " + id + (destroyed ? " (destroyed)" : "");
    }
}
