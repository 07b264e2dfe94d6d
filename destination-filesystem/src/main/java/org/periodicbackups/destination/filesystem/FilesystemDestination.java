package org.periodicbackups.destination.filesystem;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * Backup files in a local folder: a stored file named {@code a/b/c.json.gz} is the file {@code
 * <root>/a/b/c.json.gz}.
 *
 * <p>The root folder and sub-folders are created by the first upload that needs them. An upload
 * copies into a hidden temporary file in the target's folder (named {@code .pbk-upload-*.tmp},
 * never listed), forces it to disk, renames it atomically over the target and then forces the
 * folder, so after a crash either the old file or the whole new file is there. Temporary files are
 * created owner-readable only where the filesystem supports POSIX permissions, and the stored file
 * keeps those permissions: a backup holds the whole database.
 *
 * <p>Conditional writes ({@link #conditionalWrites()}) check and write under an exclusive lock on
 * the hidden file {@code <root>/.pbk-conditional-writes.lock.tmp}: an OS file lock, which every
 * process of this host honours (and those of other hosts where the file system shares its locks,
 * such as NFS v4), together with a lock inside this JVM. Tags are the SHA-256 of the content.
 *
 * <p>Names follow {@link StoredNames}; names of the form {@code .*.tmp} are reserved for temporary
 * files. Deleting the last file of a folder removes the folders left empty, up to the root.
 * Thread-safe; {@link #close()} does nothing.
 */
public final class FilesystemDestination implements BackupDestination {
  private static final String TEMP_PREFIX = ".pbk-upload-";
  private static final String TEMP_SUFFIX = ".tmp";

  /** The lock file of conditional writes, in the root: hidden from listings as a temporary file. */
  private static final String LOCK_NAME = ".pbk-conditional-writes.lock.tmp";

  /** In-process locks by lock file: a JVM cannot hold two locks on one file. */
  private static final Map<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

  /** How often an upload retries when a concurrent delete removed the folder it just created. */
  private static final int FOLDER_RACE_RETRIES = 3;

  private final Path root;

  /** A destination keeping its files under {@code root}, made absolute; nothing is created yet. */
  public FilesystemDestination(Path root) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
  }

  /** The absolute root folder. */
  public Path root() {
    return root;
  }

  /** {@value BuiltInDestinations#FILESYSTEM}. */
  @Override
  public String providerName() {
    return BuiltInDestinations.FILESYSTEM;
  }

  /** The absolute root folder. */
  @Override
  public String description() {
    return root.toString();
  }

  /** The folder. */
  @Override
  public Map<String, String> location() {
    return Map.of("folder", root.toString());
  }

  /** Immediate listing and reads, no size limit but the disk's. */
  @Override
  public DestinationCapabilities capabilities() {
    return DestinationCapabilities.STANDARD;
  }

  /**
   * Copies {@code file} to {@code <root>/<name>} atomically and durably; see the class comment.
   *
   * @throws IllegalArgumentException if {@code name} is not a safe name
   * @throws DestinationException naming the folder and file if the copy fails; nothing is left
   *     under {@code name} then (an older file of that name stays as it was)
   */
  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    requireNonNull(file, "file is null");
    Path target = pathOf(name);
    Path folder = target.getParent();
    Path temp = null;
    boolean stored = false;
    try {
      temp = createTempFile(folder);
      long size = copyAndForce(file, temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      stored = true;
      forceFolder(folder);
      return new StoredFile(name, size, target.toString());
    } catch (IOException | RuntimeException e) {
      throw new DestinationException(
          "filesystem destination "
              + root
              + ": cannot store '"
              + name
              + "' from "
              + file
              + " at "
              + target
              + ": "
              + describe(e),
          e);
    } finally {
      if (!stored && temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * The regular files under the root whose name starts with {@code prefix}, sorted by name, with
   * their sizes; the locator is the absolute path. A missing root lists nothing.
   */
  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    List<StoredFile> files = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String folder = dir.equals(root) ? "" : nameOf(dir) + "/";
              // Skip folders that cannot hold a matching name.
              boolean mayMatch = folder.startsWith(prefix) || prefix.startsWith(folder);
              return mayMatch ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
              String name = nameOf(path);
              if (attrs.isRegularFile() && !isTempFile(path) && name.startsWith(prefix)) {
                files.add(new StoredFile(name, attrs.size(), path.toString()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
              // A file deleted while we walk is simply not listed.
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new DestinationException(
          "filesystem destination " + root + ": cannot list '" + prefix + "': " + describe(e), e);
    }
    files.sort(Comparator.comparing(StoredFile::name));
    return files;
  }

  /**
   * Opens {@code <root>/<name>}.
   *
   * @throws BackupFileNotFoundException if there is no such file
   */
  @Override
  public InputStream open(String name) throws IOException {
    Path path = pathOf(name);
    if (Files.isDirectory(path)) {
      throw new BackupFileNotFoundException(description(), name);
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new BackupFileNotFoundException(description(), name);
    } catch (IOException e) {
      throw new DestinationException(
          "filesystem destination "
              + root
              + ": cannot open '"
              + name
              + "' at "
              + path
              + ": "
              + describe(e),
          e);
    }
  }

  /** Deletes {@code <root>/<name>} if it exists, then the folders it leaves empty. */
  @Override
  public void delete(String name) throws IOException {
    Path path = pathOf(name);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return; // a folder is not a stored file
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new DestinationException(
          "filesystem destination "
              + root
              + ": cannot delete '"
              + name
              + "' at "
              + path
              + ": "
              + describe(e),
          e);
    }
    removeEmptyFolders(path.getParent());
  }

  /** Conditional writes under a file lock; see the class comment. */
  @Override
  public Optional<ConditionalWrites> conditionalWrites() {
    return Optional.of(new LockedWrites());
  }

  @Override
  public String toString() {
    return "FilesystemDestination[" + root + "]";
  }

  /** Create-if-absent and replace-if-unchanged, each checked and written under one lock. */
  private final class LockedWrites implements ConditionalWrites {
    @Override
    public Optional<Version> read(String name) throws IOException {
      Path path = pathOf(name);
      try {
        byte[] content = Files.readAllBytes(path);
        return Optional.of(new Version(content, ConditionalWrites.contentTag(content)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw failure("read", name, path, e);
      }
    }

    @Override
    public Optional<Version> createIfAbsent(String name, byte[] content) throws IOException {
      return write(name, null, content);
    }

    @Override
    public Optional<Version> replaceIfUnchanged(String name, String expectedTag, byte[] content)
        throws IOException {
      requireNonNull(expectedTag, "expectedTag is null");
      return write(name, expectedTag, content);
    }

    /** Writes {@code content} if the current tag is {@code expectedTag} (null: no object). */
    private Optional<Version> write(String name, String expectedTag, byte[] content)
        throws IOException {
      ConditionalWrites.requireSmall(name, content);
      Path target = pathOf(name);
      Path lockFile = root.resolve(LOCK_NAME);
      ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
      processLock.lock();
      try {
        Files.createDirectories(root);
        try (FileChannel lock =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          FileLock held = lock.lock(); // released when the channel closes
          assert held.isValid();
          Optional<Version> current = read(name);
          boolean matches =
              expectedTag == null
                  ? current.isEmpty()
                  : current.isPresent() && current.get().tag().equals(expectedTag);
          if (!matches) {
            return Optional.empty();
          }
          storeSmall(target, content);
          return Optional.of(new Version(content, ConditionalWrites.contentTag(content)));
        }
      } catch (IOException e) {
        throw failure(expectedTag == null ? "create" : "replace", name, target, e);
      } finally {
        processLock.unlock();
      }
    }

    private DestinationException failure(String action, String name, Path path, IOException e) {
      return new DestinationException(
          "filesystem destination "
              + root
              + ": conditional "
              + action
              + " of '"
              + name
              + "' at "
              + path
              + " failed: "
              + describe(e),
          e);
    }
  }

  /** Writes {@code content} to {@code target} as an upload does: temporary file, force, rename. */
  private static void storeSmall(Path target, byte[] content) throws IOException {
    Path folder = target.getParent();
    Path temp = createTempFile(folder);
    boolean stored = false;
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      stored = true;
      forceFolder(folder);
    } finally {
      if (!stored) {
        deleteQuietly(temp);
      }
    }
  }

  /** The path of a stored name, refusing unsafe names and anything that would leave the root. */
  private Path pathOf(String name) {
    StoredNames.requireSafe(name);
    for (String segment : name.split("/")) {
      if (isTempName(segment)) {
        throw new IllegalArgumentException(
            "unsafe file name '"
                + name
                + "': names starting with '.' and ending with '.tmp' are reserved for uploads");
      }
    }
    Path path = root.resolve(name).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("unsafe file name '" + name + "': it leaves " + root);
    }
    return path;
  }

  private String nameOf(Path path) {
    Path relative = root.relativize(path);
    StringBuilder name = new StringBuilder();
    for (Path segment : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    return name.toString();
  }

  private static boolean isTempFile(Path path) {
    return isTempName(path.getFileName().toString());
  }

  private static boolean isTempName(String segment) {
    return segment.startsWith(".") && segment.endsWith(TEMP_SUFFIX);
  }

  private static Path createTempFile(Path folder) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(folder);
      try {
        return Files.createTempFile(folder, TEMP_PREFIX, TEMP_SUFFIX);
      } catch (NoSuchFileException e) {
        // A concurrent delete removed the folder as empty between the two calls.
        if (attempt >= FOLDER_RACE_RETRIES) {
          throw e;
        }
      }
    }
  }

  private static long copyAndForce(Path source, Path temp) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      long position = 0;
      while (position < size) {
        long copied = in.transferTo(position, size - position, out);
        if (copied <= 0) {
          throw new IOException(source + " shrank while it was copied");
        }
        position += copied;
      }
      out.force(true);
      return position;
    }
  }

  private static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some systems (Windows, some network filesystems) cannot open or force a folder; the file
      // itself is already on disk, only the rename might be lost in a crash.
    }
  }

  private void removeEmptyFolders(Path folder) {
    for (Path dir = folder;
        dir != null && dir.startsWith(root) && !dir.equals(root);
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (NoSuchFileException e) {
        // already gone; its parent may now be empty
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        return; // best effort: an empty folder left behind is harmless
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // Nothing more to do; a leftover temporary file is hidden from listings.
    }
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder: " + e.getMessage();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
  }
}
