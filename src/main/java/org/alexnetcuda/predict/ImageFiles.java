package org.alexnetcuda.predict;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.alexnetcuda.data.Cifar10Dataset;

/**
 * The images to classify: files named on the command line, and the PNG and JPEG files of folders named there.
 * Each is decoded with javax.imageio, converted to sRGB (alpha ignored), and reduced to 32x32 with
 * {@link AreaResize}; together they form a dataset in CIFAR-10's layout, so the network sees them through the very
 * preprocessing of training ({@link org.alexnetcuda.data.Preprocessing}).
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** The files: each given file as is, each folder's *.png, *.jpg, *.jpeg (any case) sorted by name. */
    public static List<Path> expand(List<Path> given) {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path f : ds) {
                        if (Files.isRegularFile(f) && isImageName(f)) {
                            found.add(f);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException(p + ": cannot list the folder (" + e.getMessage() + ")");
                }
                if (found.isEmpty()) {
                    throw new IllegalArgumentException(p + ": no .png, .jpg or .jpeg files in this folder");
                }
                found.sort(null);
                out.addAll(found);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
        }
        return out;
    }

    static boolean isImageName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Decodes and resizes every file; labels are 0 (unknown), class names those given. */
    public static Cifar10Dataset read(List<Path> files, List<String> classNames) {
        byte[] images = new byte[files.size() * Cifar10Dataset.IMAGE_BYTES];
        for (int i = 0; i < files.size(); i++) {
            byte[] px = toCifar(files.get(i));
            System.arraycopy(px, 0, images, i * Cifar10Dataset.IMAGE_BYTES, px.length);
        }
        return new Cifar10Dataset(images, new byte[files.size()], classNames);
    }

    /** One file as 3072 CIFAR-layout bytes. */
    public static byte[] toCifar(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot decode the image (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new IllegalArgumentException(file + ": not a PNG or JPEG image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return AreaResize.toCifar(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }
}
