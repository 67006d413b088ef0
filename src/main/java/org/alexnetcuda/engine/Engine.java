package org.alexnetcuda.engine;

import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * What the training loop needs from an engine (CPU reference now, CUDA later). The engine owns the datasets,
 * the parameters and the optimizer state; the loop only hands it sample indices, so the GPU engine can keep
 * everything in device memory and the host reads totals rarely.
 *
 * <p>Data path of one training step: gather batch (order[from..from+count)) and preprocess, layers forward,
 * softmax cross-entropy, layers backward, Adam.
 */
public interface Engine extends AutoCloseable {

    /** A one-line description: engine, device, threads. */
    String description();

    NetworkSpec network();

    /** One optimizer step on training samples order[from .. from+count) (order null: samples from .. from+count). */
    void trainStep(int[] order, int from, int count);

    /** Forward pass in eval mode on test samples order[from .. from+count), accumulated into the eval totals. */
    void evalBatch(int[] order, int from, int count);

    /** Totals since the last reset (reading them may synchronise with the device). */
    Totals totals();

    /**
     * Whether {@link #totals} is free (host memory) rather than a device synchronisation; the training loop reads
     * expensive totals only every few hundred milliseconds, so device steps never wait on the host.
     */
    default boolean totalsAreCheap() {
        return true;
    }

    void resetTotals();

    /** Adam steps taken so far (the optimizer's t). */
    long step();

    /** Copies the current parameters into a store of this network's layout. */
    void readParameters(ParameterStore into);

    /** Replaces the parameters (the optimizer state is kept). */
    void writeParameters(ParameterStore from);

    /**
     * A copy of the optimizer's state (step count, Adam moments in the parameter layout), for a checkpoint.
     * Before the first step: step 0 and zero moments.
     */
    /**
     * The dynamic loss scale of fp16 training, cheaply (without the moments); null where the engine does not scale
     * the loss.
     */
    default OptimizerState.LossScale lossScale() {
        return null;
    }

    OptimizerState optimizerState();

    /**
     * Replaces the optimizer's state with a checkpointed one; the next step is state.step() + 1, and the dropout
     * masks and augmentation of the following steps are those of an uninterrupted run (they are functions of the
     * step). The moments must have the parameter count's length.
     */
    void restoreOptimizerState(OptimizerState state);

    /**
     * Sets the running totals, as {@link #resetTotals} does but to the given values: resuming mid-epoch continues
     * the epoch's train-loss sum from the checkpointed one, so the epoch's Train Loss is bit-for-bit that of an
     * uninterrupted run.
     */
    void restoreTotals(Totals totals);

    /**
     * Forward pass in eval mode on test samples order[from .. from+count), returning the logits, count rows of
     * {@code classes} floats, row-major (for predictions). The totals are not touched.
     */
    float[] logits(int[] order, int from, int count);

    @Override
    void close();
}
