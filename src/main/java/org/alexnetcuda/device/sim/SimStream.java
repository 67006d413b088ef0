package org.alexnetcuda.device.sim;

import org.alexnetcuda.device.Handles.Stream;

/** A simulated CUstream. Work runs when it is issued, so a stream needs no queue of its own. */
final class SimStream implements Stream {
    final SimStreams owner;
    final int id;
    boolean destroyed;

    SimStream(SimStreams owner, int id) {
        this.owner = owner;
        this.id = id;
    }

    @Override
    public String toString() {
        return "stream " + id + (destroyed ? " (destroyed)" : "");
    }
}
