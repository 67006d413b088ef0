package org.alexnetcuda.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The published archive {@code cifar-10-binary.tar.gz} and its installation as {@code dir/cifar-10-batches-bin/}:
 * unpacked in a {@link StagingDir} inside dir, checked complete, then renamed into place in one atomic move, so
 * nothing partial ever appears under the name the reader looks for. Used by {@link Cifar10Downloader} after a
 * download and by {@link #installFrom} for a copy the user fetched by other means (no network on the machine).
 */
public final class Cifar10Archive {
    public static final String FILE_NAME = "cifar-10-binary.tar.gz";
    /** MD5 of cifar-10-binary.tar.gz as published with the dataset. */
    public static final String MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private Cifar10Archive() {
    }

    /** Where the dataset is and whether this call unpacked it (false: an earlier call had). */
    public record Installed(Path dir, boolean unpacked) {
    }

    /**
     * Installs a local copy of the archive next to it, as {@code archive's folder/cifar-10-batches-bin/}, after checking
     * its MD5. When a complete set is already there (an earlier call) the archive is not read again.
     * A wrong MD5 or an unusable archive is a {@link DataException}: the user's file is at fault.
     */
    public static Installed installFrom(Path archive, String md5) {
        Path file = archive.toAbsolutePath().normalize();
        Path dir = file.getParent();
        Path target = dir.resolve(Cifar10Reader.ARCHIVE_DIR);
        if (Cifar10Reader.isCompleteBatchDir(target)) {
            return new Installed(target, false);
        }
        refuseIncomplete(target);
        String actual = md5(file);
        if (!actual.equals(md5.toLowerCase(Locale.ROOT))) {
            throw new DataException(file + ": MD5 is " + actual + ", expected " + md5.toLowerCase(Locale.ROOT)
                    + " (damaged, or not the CIFAR-10 binary archive); fetch " + FILE_NAME + " again");
        }
        try (StagingDir staging = StagingDir.in(dir)) {
            unpack(file, staging, target, file.toString());
            staging.succeeded();
            return new Installed(target, true);
        } catch (AccessDeniedException e) {
            throw new DataException(dir + ": cannot unpack " + file.getFileName() + " here: permission denied;"
                    + " copy it to a writable folder and pass that", e);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot unpack " + file.getFileName() + " here: " + e
                    + "; copy it to a writable folder and pass that", e);
        }
    }

    /** A present but incomplete target is someone's data or an old failure: never overwritten, never merged. */
    static void refuseIncomplete(Path target) {
        if (Files.exists(target)) {
            throw new DataException(target + ": exists but is not a complete dataset; remove it and try again");
        }
    }

    /** Unpacks archive (already verified) inside staging and renames its cifar-10-batches-bin/ to target. */
    static void unpack(Path archive, StagingDir staging, Path target, String label) throws IOException {
        Path unpacked = Files.createDirectory(staging.path().resolve("unpacked"));
        TarGzExtractor.extract(archive, unpacked, FILE_NAME);
        Path extracted = unpacked.resolve(Cifar10Reader.ARCHIVE_DIR);
        if (!Cifar10Reader.isCompleteBatchDir(extracted)) {
            throw new DataException(label + ": archive lacks a complete " + Cifar10Reader.ARCHIVE_DIR
                    + "/ (five data batches and the test batch)");
        }
        install(extracted, target);
    }

    /** The atomic rename; a concurrent run that finished first is accepted if its result is complete. */
    private static void install(Path extracted, Path target) throws IOException {
        try {
            Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Cifar10Reader.isCompleteBatchDir(target)) {
                throw new DataException(target + ": appeared during the installation and is not a complete dataset");
            }
        }
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    private static String md5(Path file) {
        MessageDigest digest = newMd5();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
