package org.periodicbackups.examples.destination;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * An example third-party destination: every backup file is one file directly in a folder, its
 * stored name flattened into the file name ({@code shop/2026…/000000-….full.json.gz} becomes {@code
 * shop%2F2026…%2F000000-….full.json.gz}).
 *
 * <p>It keeps the {@link BackupDestination} contract with plain {@code java.nio}: an upload writes
 * a hidden temporary file in the same folder, forces it to disk and renames it over the target in
 * one atomic move; listings read the folder and sort by stored name; deleting a missing file does
 * nothing. A flattened name must fit in one file name (255 bytes). The folder is created by the
 * first upload. Thread-safe.
 */
public final class ExampleFolderDestination implements BackupDestination {
  private static final int MAX_FILE_NAME = 255;

  private final Path folder;

  /** A destination keeping its files in {@code folder} (made absolute); creates nothing yet. */
  public ExampleFolderDestination(Path folder) {
    this.folder = requireNonNull(folder, "folder is null").toAbsolutePath().normalize();
  }

  /** {@value ExampleFolderDestinationProvider#NAME}. */
  @Override
  public String providerName() {
    return ExampleFolderDestinationProvider.NAME;
  }

  /** The provider name and the absolute folder. */
  @Override
  public String description() {
    return ExampleFolderDestinationProvider.NAME + " " + folder;
  }

  /** The folder, for {@code pbk destinations} and {@code pbk status}. */
  @Override
  public Map<String, String> location() {
    return Map.of("folder", folder.toString());
  }

  /** Copies {@code file} to a temporary file, then renames it over the target atomically. */
  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    Path target = pathOf(name);
    if (target == null) {
      throw new DestinationException(
          description()
              + ": cannot store '"
              + name
              + "': flattened,"
              + " the name is longer than "
              + MAX_FILE_NAME
              + " characters");
    }
    Path temp = null;
    try {
      Files.createDirectories(folder);
      temp = Files.createTempFile(folder, ".upload-", ".tmp");
      long size;
      try (InputStream in = Files.newInputStream(file);
          FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream stream = Channels.newOutputStream(out);
        size = in.transferTo(stream);
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      return new StoredFile(name, size, target.toString());
    } catch (IOException e) {
      throw new DestinationException(
          description() + ": cannot store '" + name + "' from " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp); // a failed upload leaves nothing behind
      }
    }
  }

  /** The stored files whose name starts with {@code prefix}, sorted by name. */
  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    List<StoredFile> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path path : (Iterable<Path>) entries::iterator) {
        String name = FlatNames.decode(path.getFileName().toString());
        if (name != null && name.startsWith(prefix) && Files.isRegularFile(path)) {
          sizeOf(path, name, files);
        }
      }
    }
    files.sort(Comparator.comparing(StoredFile::name));
    return files;
  }

  /**
   * Opens a stored file.
   *
   * @throws BackupFileNotFoundException if there is none of that name
   */
  @Override
  public InputStream open(String name) throws IOException {
    Path path = pathOf(name);
    if (path == null) {
      throw new BackupFileNotFoundException(description(), name);
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new BackupFileNotFoundException(description(), name);
    }
  }

  /** Deletes a stored file if it exists. */
  @Override
  public void delete(String name) throws IOException {
    Path path = pathOf(name);
    if (path != null) {
      Files.deleteIfExists(path);
    }
  }

  @Override
  public String toString() {
    return "ExampleFolderDestination[" + folder + "]";
  }

  /**
   * The file of a stored name; null when the flattened name is too long to be a file (so no such
   * file can exist).
   *
   * @throws IllegalArgumentException if {@code name} is not a safe stored name
   */
  private Path pathOf(String name) {
    String fileName = FlatNames.encode(StoredNames.requireSafe(name));
    return fileName.length() > MAX_FILE_NAME ? null : folder.resolve(fileName);
  }

  private static void sizeOf(Path path, String name, List<StoredFile> files) throws IOException {
    try {
      files.add(new StoredFile(name, Files.size(path), path.toString()));
    } catch (NoSuchFileException e) {
      // deleted while we listed: not there any more
    }
  }
}
