package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.StorageFormat;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.train.Benchmark;
import org.alexnetcuda.train.FlopFloor;
import org.junit.jupiter.api.Test;

/**
 * Layers run in FP32 because cuDNN refused their 16-bit calls are named in the training run's header and in
 * `bench`'s report and JSON; with no fallback, neither says anything new. The simulator poses as a cuDNN that
 * refuses BFLOAT16 LRN.
 */
class Fp32FallbackReportTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV1_CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));
    private static final String LINE = "lrn1, lrn2 run in FP32 (cudnnLRNCrossChannelForward: "
            + "CUDNN_STATUS_NOT_SUPPORTED for BFLOAT16)";

    private static SimDevice refusingLrn() {
        SimDevice d = new SimDevice();
        d.dnn().refusing(StorageFormat.BF16, "CUDNN_STATUS_NOT_SUPPORTED", "cudnnLRNCrossChannelForward",
                "cudnnLRNCrossChannelBackward");
        return d;
    }

    private static CudaEngine engine(SimDevice d) {
        ParameterStore init = SPEC.newParameterStore();
        return new CudaEngine(d, new EngineConfig(1e-3f, 0f, 1, false, false, Precision.BF16), SPEC, init, null, null,
                8, 16L << 20, true);
    }

    @Test
    void theRunHeaderNamesTheFallbackLayers() {
        try (SimDevice d = refusingLrn(); CudaEngine e = engine(d)) {
            assertEquals("  cuDNN fallback: " + LINE, TrainCommand.fallbackLine(e).orElseThrow());
        }
        try (SimDevice d = new SimDevice(); CudaEngine e = engine(d)) {
            assertTrue(TrainCommand.fallbackLine(e).isEmpty(), "no line without a fallback");
        }
    }

    @Test
    void benchReportsTheFallbackInTextAndJson() {
        Benchmark.Options o = new Benchmark.Options(8, 1, 1, 1, true, Precision.BF16, false, null);
        Benchmark.Result r;
        try (SimDevice d = refusingLrn()) {
            r = Benchmark.runCuda(d, SPEC, o);
        }
        BenchReport report = new BenchReport(r, new FlopFloor(r, 100), "test", "simulator", null, true, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\ncuDNN fallback: " + LINE + "\n"), text);
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        JsonObject fallback = json.getAsJsonObject("cudnn_fp32_fallback");
        assertEquals(2, fallback.size());
        JsonObject lrn1 = fallback.getAsJsonObject("lrn1");
        assertEquals("cudnnLRNCrossChannelForward", lrn1.get("call").getAsString());
        assertEquals("CUDNN_STATUS_NOT_SUPPORTED", lrn1.get("status").getAsString());
        assertEquals("BFLOAT16", lrn1.get("data_type").getAsString());

        Benchmark.Result plain;
        try (SimDevice d = new SimDevice()) {
            plain = Benchmark.runCuda(d, SPEC, o);
        }
        BenchReport none = new BenchReport(plain, new FlopFloor(plain, 100), "test", "simulator", null, true, null);
        bytes.reset();
        none.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("fallback"), bytes.toString());
        assertEquals(0, JsonParser.parseString(none.toJson()).getAsJsonObject().getAsJsonObject("cudnn_fp32_fallback")
                .size());
    }
}
