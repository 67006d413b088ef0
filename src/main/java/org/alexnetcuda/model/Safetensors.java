package org.alexnetcuda.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * Model weights in the safetensors format, so PyTorch loads them as the notebook's state_dict with no conversion.
 *
 * <p>Layout: an 8-byte little-endian header length H, H bytes of JSON
 * ({@code {"net.0.weight": {"dtype": "F32", "shape": [96, 3, 11, 11], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {...}}}), padded with spaces to a multiple of 8, then the raw little-endian tensor bytes;
 * offsets are relative to the end of the header. Tensors are written in state_dict order, back to back.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** A tensor read from a file: its shape and float32 values. */
    public record Entry(int[] dims, float[] values) {
    }

    /** Writes the store's values to {@code file} atomically: a temp file in the same folder, fsync, rename. */
    public static void write(Path file, ParameterStore store, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Parameter p : store.parameters()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : p.dims()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * p.size();
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(p.name(), t);
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            writeFully(ch, head);
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Parameter p : store.parameters()) {
                for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                    if (!buf.hasRemaining()) {
                        buf.flip();
                        writeFully(ch, buf);
                        buf.clear();
                    }
                    buf.putFloat(store.values[i]);
                }
            }
            buf.flip();
            writeFully(ch, buf);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads every F32 tensor of a file, checking the header against the file size. */
    public static Map<String, Entry> read(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(name + ": not a safetensors file (" + size + " bytes, truncated?)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new WeightsException(name + ": not a safetensors file or truncated (header length " + headerLen
                        + ", file size " + size + ")");
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headBuf, 8);
            JsonObject header = parseHeader(name, new String(headBuf.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), readTensor(ch, name, e.getKey(), e.getValue(), dataStart, size));
            }
            return out;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new WeightsException(name + ": no such file");
        } catch (IOException e) {
            throw new WeightsException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The string metadata of a file (empty when it has none). */
    public static Map<String, String> metadata(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > ch.size() - 8) {
                throw new WeightsException(name + ": not a safetensors file or truncated");
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headBuf, 8);
            JsonObject header = parseHeader(name, new String(headBuf.array(), StandardCharsets.UTF_8));
            Map<String, String> meta = new LinkedHashMap<>();
            if (header.has("__metadata__") && header.get("__metadata__").isJsonObject()) {
                header.getAsJsonObject("__metadata__").entrySet()
                        .forEach(e -> meta.put(e.getKey(), e.getValue().getAsString()));
            }
            return meta;
        } catch (IOException e) {
            throw new WeightsException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static JsonObject parseHeader(String name, String json) {
        try {
            JsonElement el = JsonParser.parseString(json.strip());
            if (!el.isJsonObject()) {
                throw new WeightsException(name + ": safetensors header is not a JSON object");
            }
            return el.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new WeightsException(name + ": corrupt safetensors header (not valid JSON)");
        }
    }

    private static Entry readTensor(FileChannel ch, String file, String key, JsonElement el, long dataStart, long size)
            throws IOException {
        try {
            JsonObject t = el.getAsJsonObject();
            String dtype = t.get("dtype").getAsString();
            if (!dtype.equals("F32")) {
                throw new WeightsException(file + ": tensor " + key + " has dtype " + dtype + "; only F32 is supported");
            }
            JsonArray shape = t.getAsJsonArray("shape");
            int[] dims = new int[shape.size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).getAsInt();
                if (dims[i] < 0) {
                    throw new WeightsException(file + ": tensor " + key + " has a negative dimension");
                }
                count *= dims[i];
            }
            JsonArray off = t.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            if (begin < 0 || end < begin || end - begin != 4 * count || count > Integer.MAX_VALUE) {
                throw new WeightsException(file + ": tensor " + key + " has offsets [" + begin + ", " + end
                        + "] that do not match its shape " + Arrays.toString(dims));
            }
            if (dataStart + end > size) {
                throw new WeightsException(file + ": truncated (tensor " + key + " ends at byte " + (dataStart + end)
                        + ", file has " + size + ")");
            }
            ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, data, dataStart + begin);
            data.flip();
            float[] values = new float[(int) count];
            data.asFloatBuffer().get(values);
            return new Entry(dims, values);
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                 | IndexOutOfBoundsException | ClassCastException | NumberFormatException e) {
            throw new WeightsException(file + ": corrupt safetensors header entry for " + key);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /**
     * Loads a file into the store: the names must be exactly the store's parameters and every shape must match.
     * Nothing in the store changes unless the whole file fits.
     */
    public static void load(Path file, ParameterStore store) {
        Map<String, Entry> entries = read(file);
        for (Parameter p : store.parameters()) {
            Entry e = entries.get(p.name());
            if (e == null) {
                throw new WeightsException(file + ": no tensor " + p.name() + " (not weights of this model?)");
            }
            if (!Arrays.equals(e.dims(), p.dims())) {
                throw new WeightsException(file + ": " + p.name() + " has shape " + Arrays.toString(e.dims())
                        + " but this model needs " + p.dimsString() + " (other --input-size, --classes or architecture?)");
            }
        }
        for (String key : entries.keySet()) {
            if (!hasParameter(store, key)) {
                throw new WeightsException(file + ": unexpected tensor " + key + " (not weights of this model?)");
            }
        }
        for (Parameter p : store.parameters()) {
            System.arraycopy(entries.get(p.name()).values(), 0, store.values, p.offset(), p.size());
        }
    }

    private static boolean hasParameter(ParameterStore store, String name) {
        for (Parameter p : store.parameters()) {
            if (p.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
