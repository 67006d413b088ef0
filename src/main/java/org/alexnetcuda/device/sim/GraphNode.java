package org.alexnetcuda.device.sim;

/** One recorded piece of stream work: the API call that issued it and what it does when run. */
record GraphNode(String call, Runnable work) {
}
