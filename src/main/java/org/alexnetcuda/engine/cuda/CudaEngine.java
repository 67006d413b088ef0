package org.alexnetcuda.engine.cuda;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.data.Augment;
import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Profiler;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.math.DropoutMath;
import org.alexnetcuda.model.LayerSpec;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.profile.ProfileSteps;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The GPU engine: the whole data path on the device, every CUDA call through the narrow device API.
 *
 * <p>One training step ({@link StepKernels}): zero the gradient block; gather and preprocess the batch from the
 * uint8 dataset in device memory; layers forward; softmax cross-entropy with its gradient and device-resident
 * totals; layers backward; one fused Adam pass over the contiguous parameter block. The epoch's permutation is
 * uploaded once per epoch, the batch's start is set by a memset. Full-size steps are captured once as a CUDA graph
 * and replayed; the last partial batch runs eagerly, and so does the first full-size step (and evaluation batch), so
 * that what is captured has been initialised by an eager run. The host reads the totals (and the rest of the state
 * in the pool, {@link DeviceState}) only when asked.
 *
 * <p>All memory comes from one {@link DevicePool} planned here; nothing is allocated after the constructor.
 *
 * <p>Failures on the device are reported in one line wherever they surface: a kernel that failed while it ran
 * ({@link KernelFaults}) names the step or the steps it can have been in, and an allocation the CUDA libraries or
 * a module load make for themselves after the pool is reported as out of device memory with a batch size to try.
 *
 * <p>Mixed precision (--precision fp16|bf16): the layers run on 16-bit activations and a 16-bit copy of the
 * weights, and write 16-bit gradients; the loss and Adam's master weights stay FP32, and fp16's loss scale lives on
 * the device ({@link StepKernels}). Every decision stays on the device, so mixed-precision steps are captured and
 * replayed like the others.
 *
 * <p>Profiling ({@link #profile}): NVTX ranges around each step, each layer's forward and backward, the data step,
 * the loss and Adam, and a profiler window over chosen steps, which run eagerly so that the ranges enclose their
 * kernels. NVTX ranges are host-side: around a captured graph they mark only the capture, and a replay shows as
 * one range around the graph launch.
 */
public final class CudaEngine implements Engine {
    /**
     * Full-size steps (or evaluation batches) before the first graph replay: one eager, one captured and replayed.
     * A benchmark warms up at least this many, so that it times replays only.
     */
    public static final int STEPS_BEFORE_REPLAY = 2;

    private final Device device;
    private final NetworkSpec spec;
    private final EngineConfig config;
    private final CudaContext ctx;
    private final List<CudaLayer> layers = new ArrayList<>();
    private final int maxBatch;
    private final int classes;
    private final boolean useGraphs;
    /** The pool and its plan: planned again, once, where layers fall back to FP32 ({@link #fallBackToFp32}). */
    private DevicePool pool;
    private MemoryPlan mem;
    /** Layers run in FP32 because cuDNN refused their 16-bit calls, and the FP32 scratch they share. */
    private Fp32Fallback fallback = Fp32Fallback.NONE;
    private MemoryPlan.Fp32Scratch scratch = MemoryPlan.Fp32Scratch.NONE;
    /** The FP32 twin of {@link #ctx} that fallback layers run in (null when none does). */
    private CudaContext ctx32;
    private final StepKernels kernels;
    private final DeviceState state;
    private final StepTimer timer;
    private final int trainCount;
    private final int testCount;
    /** The storage format of activations, layer weights and gradients (F32 unless mixed precision). */
    private final StorageFormat act;
    private final boolean mixed;

    private int[] uploadedOrder;
    private boolean identityOrderUploaded;
    private GraphExec trainGraph;
    private GraphExec evalGraph;
    /** Whether a full-size training step / evaluation batch has run eagerly, so that the next one may be captured. */
    private boolean trainWarm;
    private boolean evalWarm;
    private long steps;
    private final Stream stream;
    private boolean ownsDevice;
    private ProfileSteps window;
    private long windowBase;
    private long sessionSteps;
    private final KernelFaults faults = KernelFaults.fromEnvironment();
    /** Free device memory before the pool was allocated, for the batch size an out-of-memory report suggests. */
    private long freeBeforePool;

    /**
     * Plans and allocates the pool, uploads the datasets and the initial parameters, and prepares every layer
     * for the full and (if any) partial batch sizes.
     *
     * @param maxBatch       the training batch size (the largest batch any step will see)
     * @param workspaceLimit the cuDNN workspace budget in bytes
     * @param useGraphs      capture full-size steps as CUDA graphs (false: run every step eagerly)
     */
    public CudaEngine(Device device, EngineConfig config, NetworkSpec spec, ParameterStore initial,
                      Cifar10Dataset train, Cifar10Dataset test, int maxBatch, long workspaceLimit, boolean useGraphs) {
        this.device = device;
        this.spec = spec;
        this.config = config;
        this.maxBatch = maxBatch;
        this.classes = spec.outputShape(1).c();
        this.useGraphs = useGraphs;
        this.trainCount = train == null ? 0 : train.size();
        this.testCount = test == null ? 0 : test.size();
        requireCapability(device, config.precision());
        this.act = config.precision().storage();
        this.mixed = act.isHalf();
        this.ctx = new CudaContext(device, config.deterministic(), config.precision());
        this.stream = ctx.stream;

        List<Shape> in = spec.inputShapes(1);
        List<Shape> out = spec.outputShapes(1);
        for (int i = 0; i < spec.layers().size(); i++) {
            layers.add(create(spec.layers().get(i), in.get(i), out.get(i), i, initial, ctx));
        }
        long workspace = prepare(layers, workspaceLimit);
        this.mem = new MemoryPlan(spec, maxBatch, trainCount, testCount, workspace, config.augment(), act);
        this.pool = allocate(workspace);
        if (mixed) {
            fallBackToFp32(initial, workspace, workspaceLimit);
        }
        this.kernels = new StepKernels(ctx, pool, mem, layers, spec, config, initial.size(), trainCount, testCount);
        this.state = new DeviceState(ctx, pool, mem, spec, config, initial.size());
        this.timer = new StepTimer(ctx, kernels, layers.size());
        try {
            bind();
            upload(initial, train, test);
        } catch (RuntimeException e) {
            throw reported(e);
        }
    }

    /**
     * Prepares the layers for every batch size the datasets will produce (the full one and the last partial batch
     * of each set), before the pool is planned: algorithm searches (cudnnFind*) then run before training, never
     * mid-epoch, and the workspace covers all of them. Returns that workspace.
     */
    private long prepare(List<CudaLayer> some, long workspaceLimit) {
        long workspace = 0;
        for (int n : java.util.stream.IntStream.of(maxBatch, trainCount % maxBatch, testCount % maxBatch)
                .filter(n -> n > 0).distinct().toArray()) {
            for (CudaLayer l : some) {
                workspace = Math.max(workspace, l.prepare(n, workspaceLimit));
            }
        }
        return workspace;
    }

    /**
     * Under mixed precision, tries each layer that calls cuDNN once on the pool just allocated (its forward and
     * backward at the full batch, on the activation and gradient regions it will use; their contents do not
     * matter and are all written before training reads them) and, where cuDNN refused a 16-bit call with
     * CUDNN_STATUS_NOT_SUPPORTED ({@link Fp32Fallback}), replaces the layer by its FP32 twin between casts
     * ({@link Fp32Layer}), plans the pool again with their FP32 scratch, allocates it in place of the first, and
     * tries the replaced layers again: a call that fails in FP32 too fails here, as it did before this fallback.
     * Nothing of this is captured: the constructor runs before any step.
     */
    private void fallBackToFp32(ParameterStore initial, long workspace, long workspaceLimit) {
        bind();
        queue("the trial of the layers' " + act.dtype() + " cuDNN calls", () -> fallback = Fp32Fallback.probe(layers,
                act, this::tryLayer));
        synchronize();
        if (fallback.isEmpty()) {
            return;
        }
        ctx32 = ctx.fp32();
        List<Shape> in = spec.inputShapes(1);
        List<Shape> out = spec.outputShapes(1);
        List<CudaLayer> wrapped = new ArrayList<>();
        int inSample = 0;
        int outSample = 0;
        long gradientEnd = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = spec.layers().get(i);
            if (!fallback.covers(l.name())) {
                continue;
            }
            List<org.alexnetcuda.tensor.Parameter> params = initial.parameters().stream()
                    .filter(p -> l.module() != null && p.name().startsWith(l.module() + ".")).toList();
            Fp32Layer f = new Fp32Layer(create(l, in.get(i), out.get(i), i, initial, ctx32), ctx, ctx32,
                    in.get(i).sampleSize(), out.get(i).sampleSize(), params);
            layers.get(i).close();
            layers.set(i, f);
            wrapped.add(f);
            inSample = Math.max(inSample, in.get(i).sampleSize());
            outSample = Math.max(outSample, out.get(i).sampleSize());
            for (var p : params) {
                gradientEnd = Math.max(gradientEnd, (long) p.offset() + p.size());
            }
        }
        workspace = Math.max(workspace, prepare(wrapped, workspaceLimit));
        scratch = new MemoryPlan.Fp32Scratch(inSample, outSample, gradientEnd);
        pool.close();
        mem = new MemoryPlan(spec, maxBatch, trainCount, testCount, workspace, config.augment(), act, scratch);
        pool = allocate(workspace);
        bind();
        queue("the trial of the layers that run in FP32", () -> {
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) instanceof Fp32Layer) {
                    tryLayer(i);
                }
            }
        });
        synchronize();
    }

    /** Layer i forward and backward at the full batch on the regions a step gives it (dy in B, dx in A). */
    private void tryLayer(int i) {
        CudaLayer l = layers.get(i);
        DevicePtr x = ptr(mem.activations[i]);
        DevicePtr y = ptr(mem.activations[i + 1]);
        l.forward(maxBatch, x, y, true);
        l.backward(maxBatch, x, y, ptr(mem.activationGrads[1]), i == 0 ? null : ptr(mem.activationGrads[0]));
    }

    private void synchronize() {
        waitFor(() -> {
            device.streams().synchronize(stream);
            return null;
        });
    }

    /** A usage error (exit 2), before anything is allocated, for a precision the card has no arithmetic for. */
    private static void requireCapability(Device device, Precision p) {
        int cc = device.computeCapability();
        if (cc != 0 && cc < p.minimumComputeCapability()) {
            int min = p.minimumComputeCapability();
            throw new IllegalArgumentException("--precision " + p + " needs a GPU of compute capability " + min / 10 + "."
                    + min % 10 + " or newer; " + device.name() + ": use fp16 or fp32");
        }
    }

    /**
     * The pool, after checking that it fits the device's free memory: if not, the one-line out-of-memory message
     * with what was needed, what was free and the largest batch size whose plan fits.
     */
    private DevicePool allocate(long workspace) {
        long free = device.memory().info()[0];
        freeBeforePool = free;
        if (mem.totalBytes() > free) {
            throw outOfMemory(free, workspace);
        }
        try {
            return new DevicePool(device.memory(), mem.pool);
        } catch (DeviceException e) {
            if ("CUDA_ERROR_OUT_OF_MEMORY".equals(e.status())) {
                throw outOfMemory(device.memory().info()[0], workspace);
            }
            throw e;
        }
    }

    private OutOfDeviceMemoryException outOfMemory(long free, long workspace) {
        return new OutOfDeviceMemoryException(maxBatch, mem.totalBytes(), free, largestBatchWithin(free, workspace));
    }

    /** The largest batch size up to the configured one whose pool fits in {@code budget} bytes; 0 if none. */
    private int largestBatchWithin(long budget, long workspace) {
        return OutOfDeviceMemoryException.largestBatch(maxBatch, budget, b -> new MemoryPlan(spec, b, trainCount,
                testCount, workspace, config.augment(), act, scratch).totalBytes());
    }

    /** The statuses of an allocation that failed for lack of device memory, by library. */
    private static final java.util.Set<String> OUT_OF_MEMORY = java.util.Set.of("CUDA_ERROR_OUT_OF_MEMORY",
            "CUBLAS_STATUS_ALLOC_FAILED", "CUDNN_STATUS_ALLOC_FAILED");

    /**
     * A device error as the program reports it: a kernel failure with where it ran ({@link KernelFaults}); an
     * allocation that a CUDA library or a module load made for itself after the pool (out of memory though the pool
     * fitted) as out of device memory, suggesting the largest batch size whose pool leaves
     * {@link OutOfDeviceMemoryException#LIBRARY_HEADROOM} of what was free for them; anything else unchanged.
     */
    private RuntimeException reported(RuntimeException e) {
        RuntimeException r = faults.translate(e);
        if (r instanceof DeviceException d && !(r instanceof KernelFailureException)
                && OUT_OF_MEMORY.contains(d.status())) {
            long free = device.memory().info()[0];
            long budget = freeBeforePool - OutOfDeviceMemoryException.LIBRARY_HEADROOM;
            return OutOfDeviceMemoryException.afterPool(d.getMessage(), maxBatch, mem.totalBytes(), free,
                    Math.min(maxBatch - 1, largestBatchWithin(budget, mem.workspace.bytes())));
        }
        return r;
    }

    /** Runs an operation that queues device work; {@code what} names it in a kernel failure's report. */
    private void queue(String what, Runnable work) {
        faults.queued(what);
        guarded(work);
        faults.returned();
    }

    /** Runs an operation that waits for the device (a read of device state): what was queued before it ran. */
    private <T> T waitFor(java.util.function.Supplier<T> read) {
        try {
            T value = read.get();
            faults.confirmed();
            return value;
        } catch (RuntimeException e) {
            throw reported(e);
        }
    }

    /** Runs an operation whose device errors are reported as {@link #reported} says. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            throw reported(e);
        }
    }

    private CudaLayer create(LayerSpec l, Shape in, Shape out, int index, ParameterStore store, CudaContext ctx) {
        if (l instanceof LayerSpec.Conv c) {
            // StepKernels.backwardLayer passes no dx to layer 0: nothing upstream of it learns.
            return new Conv2d(c.name(), ctx, in, out, c.kernel(), c.stride(), c.pad(),
                    store.get(c.module() + ".weight"), store.get(c.module() + ".bias"), index > 0);
        }
        if (l instanceof LayerSpec.Linear f) {
            return new Linear(f.name(), ctx, in.sampleSize(), f.outFeatures(),
                    store.get(f.module() + ".weight"), store.get(f.module() + ".bias"));
        }
        if (l instanceof LayerSpec.Relu r) {
            return new Relu(r.name(), ctx, in);
        }
        if (l instanceof LayerSpec.MaxPool p) {
            return new MaxPool(p.name(), ctx, in, out, p.kernel(), p.stride());
        }
        if (l instanceof LayerSpec.Lrn n) {
            return new LrnLayer(n.name(), ctx, in, n.size(), n.alpha(), n.beta(), n.k());
        }
        if (l instanceof LayerSpec.Dropout d) {
            // The same mask as the CPU engine's Dropout of this layer index and seed.
            return new Dropout(d.name(), ctx, in, d.p(), DropoutMath.layerKey(config.seed(), index));
        }
        return new Flatten(l.name(), ctx, in);
    }

    /** The pool's size: all the device memory the engine allocates itself. */
    public long poolBytes() {
        return mem.pool.totalBytes();
    }

    /** The cuDNN algorithms each convolution runs at the full batch size, in layer order. */
    public List<ConvChoice> convolutionChoices() {
        List<ConvChoice> r = new ArrayList<>();
        for (CudaLayer l : layers) {
            if ((l instanceof Fp32Layer f ? f.fp32() : l) instanceof Conv2d c) {
                r.add(c.choice(maxBatch));
            }
        }
        return r;
    }

    /** The pool's regions, for `summary` and reports. */
    public List<DevicePool.Region> memoryPlan() {
        return mem.pool.regions();
    }

    private DevicePtr ptr(DevicePool.Region r) {
        return pool.ptr(r);
    }

    private void bind() {
        ctx.params = ptr(mixed ? mem.paramsHalf : mem.params);
        ctx.grads = ptr(mem.grads);
        ctx.workspace = ptr(mem.workspace);
        ctx.workspaceBytes = mem.workspace.bytes();
        ctx.adamState = ptr(mem.adamState);
        // After cublasSetStream (CudaContext), which resets it.
        device.blas().setWorkspace(ptr(mem.cublasWorkspace), mem.cublasWorkspace.bytes());
        if (ctx32 != null) {
            // The FP32 layers read the FP32 master weights and accumulate into FP32 gradient scratch.
            ctx32.params = ptr(mem.params);
            ctx32.grads = ptr(mem.fp32Scratch[4]);
            ctx32.workspace = ctx.workspace;
            ctx32.workspaceBytes = ctx.workspaceBytes;
            ctx32.adamState = ctx.adamState;
            for (CudaLayer l : layers) {
                if (l instanceof Fp32Layer f) {
                    f.bind(ptr(mem.fp32Scratch[0]), ptr(mem.fp32Scratch[1]), ptr(mem.fp32Scratch[2]),
                            ptr(mem.fp32Scratch[3]));
                }
            }
        }
    }

    /**
     * The layers that run in FP32 because cuDNN refused their 16-bit calls (under mixed precision; none otherwise),
     * decided when the engine was made.
     */
    public Fp32Fallback fp32Fallback() {
        return fallback;
    }

    private void upload(ParameterStore initial, Cifar10Dataset train, Cifar10Dataset test) {
        state.writeInitial(initial);
        DeviceMemory m = device.memory();
        if (train != null) {
            m.copyToDevice(ptr(mem.trainImages), train.images(), 0, trainCount * MemoryPlan.IMAGE_BYTES, stream);
            m.copyToDevice(ptr(mem.trainLabels), train.labels(), 0, trainCount, stream);
        }
        if (test != null) {
            m.copyToDevice(ptr(mem.testImages), test.images(), 0, testCount * MemoryPlan.IMAGE_BYTES, stream);
            m.copyToDevice(ptr(mem.testLabels), test.labels(), 0, testCount, stream);
        }
        state.resetTotals();
        device.streams().synchronize(stream);
    }

    @Override
    public String description() {
        return "CUDA engine on " + device.name() + (useGraphs ? ", CUDA graphs" : ", eager");
    }

    @Override
    public NetworkSpec network() {
        return spec;
    }

    /**
     * Turns profiling on from the next step: NVTX ranges (when {@code nvtx} or a window is given) and, for
     * {@code window}, cuProfilerStart before its first step and cuProfilerStop after its last, its steps counted
     * from the next one (1) and run eagerly. The device is synchronised at both ends, so the window holds exactly
     * its steps' GPU work.
     */
    public void profile(boolean nvtx, ProfileSteps window) {
        kernels.prof = nvtx || window != null ? device.profiler() : Profiler.NONE;
        this.window = window;
        this.windowBase = sessionSteps;
    }

    /** What profiling does, in one line ("off" unless {@link #profile} turned it on). */
    public String profiling() {
        return kernels.prof.describe() + (window == null ? "" : "; steps " + window + " profiled, eagerly");
    }

    @Override
    public void trainStep(int[] order, int from, int count) {
        checkBatch(count, trainCount, from);
        queue("training step " + (steps + 1), () -> queueTrainStep(order, from, count));
    }

    private void queueTrainStep(int[] order, int from, int count) {
        long inWindow = ++sessionSteps - windowBase;
        boolean profiled = window != null && window.contains(inWindow);
        if (profiled && inWindow == window.first()) {
            device.streams().synchronize(stream);
            kernels.prof.start();
        }
        if (kernels.prof != Profiler.NONE) {
            kernels.prof.push("train step " + (steps + 1));
        }
        uploadOrder(order, from);
        kernels.setBatchStart(from);
        if (count == maxBatch && useGraphs && !profiled && !config.augment() && trainWarm) {
            if (trainGraph == null) {
                trainGraph = capture(() -> kernels.trainStep(count, 0));
            }
            device.streams().launch(trainGraph, stream);
        } else {
            trainWarm |= count == maxBatch;
            prepareBatchSize(count);
            kernels.trainStep(count, from);
        }
        steps++;
        kernels.prof.pop();
        if (profiled && inWindow == window.last()) {
            device.streams().synchronize(stream);
            kernels.prof.stop();
        }
    }

    @Override
    public void evalBatch(int[] order, int from, int count) {
        checkTestBatch(order, from, count);
        queue("the evaluation batch of test samples " + from + ".." + (from + count - 1) + " after training step "
                + steps, () -> queueEvalBatch(count, from));
    }

    private void queueEvalBatch(int count, int from) {
        kernels.prof.push("eval batch");
        kernels.setBatchStart(from);
        if (count == maxBatch && useGraphs && evalWarm) {
            if (evalGraph == null) {
                evalGraph = capture(() -> kernels.evalBatch(count));
            }
            device.streams().launch(evalGraph, stream);
        } else {
            evalWarm |= count == maxBatch;
            prepareBatchSize(count);
            kernels.evalBatch(count);
        }
        kernels.prof.pop();
    }

    /**
     * A test-set batch: the data kernel reads the test set in file order (no permutation), so order must be null
     * or the identity over the batch.
     */
    private void checkTestBatch(int[] order, int from, int count) {
        checkBatch(count, testCount, from);
        for (int k = 0; order != null && k < count; k++) {
            if (order[from + k] != from + k) {
                throw new IllegalArgumentException("the GPU engine reads the test set in file order");
            }
        }
    }

    private void checkBatch(int count, int size, int from) {
        if (count < 1 || count > maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        }
        if (from < 0 || from + count > size) {
            throw new IllegalArgumentException("batch " + from + ".." + (from + count) + " outside the dataset of " + size);
        }
    }

    /**
     * The permutation lives on the device for a whole epoch: uploaded when the trainer hands a new one, with, under
     * --augment, the epoch's crops and flips by position: the CPU engine's draws, Augment.forBatch(seed, 0, step,
     * count) for the step that will train each batch (this call trains position {@code from} at the current step).
     */
    private void uploadOrder(int[] order, int from) {
        if (order == uploadedOrder && (order != null || identityOrderUploaded)) {
            return;
        }
        if (config.augment()) {
            uploadAugmentation(steps - from / maxBatch);
        }
        if (order == null) {
            int[] identity = new int[trainCount];
            for (int i = 0; i < trainCount; i++) {
                identity[i] = i;
            }
            device.memory().copyToDevice(ptr(mem.perm), identity, 0, trainCount, stream);
            identityOrderUploaded = true;
        } else {
            device.memory().copyToDevice(ptr(mem.perm), order, 0, order.length, stream);
            identityOrderUploaded = false;
        }
        uploadedOrder = order;
    }

    private void uploadAugmentation(long firstStep) {
        int[] crop = new int[2 * trainCount];
        int[] flip = new int[trainCount];
        for (int start = 0, b = 0; start < trainCount; start += maxBatch, b++) {
            int count = Math.min(maxBatch, trainCount - start);
            Augment[] a = Augment.forBatch(config.seed(), 0, Math.toIntExact(firstStep + b), count);
            for (int k = 0; k < count; k++) {
                crop[2 * (start + k)] = a[k].dx();
                crop[2 * (start + k) + 1] = a[k].dy();
                flip[start + k] = a[k].flip() ? 1 : 0;
            }
        }
        device.memory().copyToDevice(ptr(mem.crop), crop, 0, crop.length, stream);
        device.memory().copyToDevice(ptr(mem.flip), flip, 0, flip.length, stream);
    }

    private void prepareBatchSize(int n) {
        for (CudaLayer l : layers) {
            l.prepare(n, mem.workspace.bytes());
        }
    }

    /**
     * Captures {@code work} into an instantiated graph. Only work that has already run eagerly, with the same shapes
     * on the same stream, is captured ({@link #trainWarm}, {@link #evalWarm}): first uses initialise lazily, and on
     * a real GPU that must not happen during a capture. Our PTX modules are loaded (cuModuleLoadData) at a kernel's
     * first launch, which drivers before CUDA 12.3 do not allow while a stream captures; cuBLAS and cuDNN set up
     * their per-handle state, workspaces and kernels (lazily loaded, some compiled at run time by cuDNN 9) on first
     * use. Every CUDA-graph user warms up so (PyTorch's torch.cuda.graphs documentation: warm-up iterations on the
     * capture stream before capturing).
     */
    private GraphExec capture(Runnable work) {
        device.streams().beginCapture(stream);
        try {
            work.run();
        } catch (RuntimeException e) {
            try {
                device.streams().endCapture(stream);
            } catch (RuntimeException ignored) {
                // the capture is already invalid; the original error says why
            }
            throw e;
        }
        var graph = device.streams().endCapture(stream);
        GraphExec exec = device.streams().instantiate(graph);
        device.streams().destroy(graph);
        return exec;
    }

    @Override
    public Totals totals() {
        return waitFor(state::totals);
    }

    /** Reading the totals copies them from the device, which waits for the queued steps. */
    @Override
    public boolean totalsAreCheap() {
        return false;
    }

    @Override
    public void restoreTotals(Totals t) {
        guarded(() -> state.restoreTotals(t));
    }

    /**
     * Adam's moments and step count, and the loss scale (fp16's, or one carried from a restored fp16 state): Adam's
     * step count is read from the device, where a skipped step does not count it.
     */
    @Override
    public OptimizerState optimizerState() {
        return waitFor(state::optimizerState);
    }

    /**
     * The moments, Adam's step count (which also drives the dropout masks) and the loss scale are replaced; the
     * engine's training-step count becomes the state's {@link OptimizerState#trainingSteps}. An fp16 engine given a
     * state without a loss scale starts from GradScaler's initial one.
     */
    @Override
    public void restoreOptimizerState(OptimizerState restored) {
        guarded(() -> state.restoreOptimizerState(restored));
        steps = restored.trainingSteps();
    }

    /** fp16's loss scale as the device holds it (reading it waits for the queued steps); null otherwise. */
    @Override
    public OptimizerState.LossScale lossScale() {
        return waitFor(state::lossScale);
    }

    /** Sets the fp16 loss scale (good steps and skipped count kept at 0): tests force an overflow with it. */
    void overrideLossScale(float scale) {
        state.overrideLossScale(scale);
    }

    /** Eval-mode logits of the engine's test samples from .. from+count (file order), eagerly; totals untouched. */
    @Override
    public float[] logits(int[] order, int from, int count) {
        checkTestBatch(order, from, count);
        faults.queued("the logits of test samples " + from + ".." + (from + count - 1));
        return waitFor(() -> {
            prepareBatchSize(count);
            kernels.setBatchStart(from);
            DevicePtr logits = kernels.evalLogits(count);
            float[] out = new float[count * classes];
            device.memory().copyToHost(out, 0, out.length, logits, stream);
            return out;
        });
    }

    @Override
    public void resetTotals() {
        guarded(state::resetTotals);
    }

    @Override
    public long step() {
        return steps;
    }

    @Override
    public void readParameters(ParameterStore into) {
        waitFor(() -> {
            state.readParameters(into);
            return null;
        });
    }

    @Override
    public void writeParameters(ParameterStore from) {
        guarded(() -> state.writeParameters(from));
    }

    /**
     * Milliseconds per training step over {@code steps} steps on training samples order[0..n), timed by device
     * events around the steps (graph replay when enabled), after the caller's warm-up.
     */
    public double timeTrainSteps(int[] order, int n, int steps) {
        return waitFor(() -> timer.millisPer(steps, () -> trainStep(order, 0, n)));
    }

    /** Milliseconds per evaluation batch of n test samples, timed by device events. */
    public double timeEvalBatches(int n, int steps) {
        return waitFor(() -> timer.millisPer(steps, () -> evalBatch(null, 0, n)));
    }

    /**
     * Each layer's forward and backward milliseconds, {forward[], backward[]}, averaged over {@code repeats} eager
     * training steps on training samples order[0..n) ({@link StepTimer#layerMillis}); they count as training steps.
     */
    public double[][] profileLayers(int[] order, int n, int repeats) {
        faults.queued("the per-layer timing of " + repeats + " eager training steps after step " + steps);
        return waitFor(() -> timer.layerMillis(n, repeats, () -> {
            uploadOrder(order, 0);
            prepareBatchSize(n);
        }, () -> steps++));
    }

    /** The output of layer i after the last forward pass, widened to FP32 (tests compare it with the CPU engine). */
    public float[] readActivation(int layer, int n) {
        return waitFor(() -> state.readActivation(layer, n));
    }

    /**
     * The gradient block after the last training step, widened to FP32 (tests compare it with the CPU engine); under
     * fp16 still multiplied by the loss scale of that step.
     */
    public float[] readGradients() {
        return waitFor(state::readGradients);
    }

    /**
     * Releases the graphs, the layers' descriptors, the pool and the stream (and the device if it was handed over).
     * After a kernel failure the context is unusable and every release fails with the same status: the resources
     * go with the process, and the failure already reported is the one to read, so close says nothing more.
     */
    @Override
    public void close() {
        if (faults.failed()) {
            try {
                release();
            } catch (RuntimeException ignored) {
                // the context died with the kernel failure already reported
            }
            return;
        }
        release();
    }

    private void release() {
        if (trainGraph != null) {
            device.streams().destroy(trainGraph);
        }
        if (evalGraph != null) {
            device.streams().destroy(evalGraph);
        }
        layers.forEach(CudaLayer::close);
        // The device's handles outlive the engine: leave them on the legacy stream and cuBLAS's own workspace
        // (cublasSetStream resets it), not on a destroyed stream and freed pool memory.
        device.blas().setStream(null);
        device.dnn().setStream(null);
        pool.close();
        device.streams().destroy(stream);
        if (ownsDevice) {
            device.close();
        }
    }

    /** Makes {@link #close} close the device too, for an engine that was handed a device of its own. */
    public CudaEngine closingDevice() {
        ownsDevice = true;
        return this;
    }
}
