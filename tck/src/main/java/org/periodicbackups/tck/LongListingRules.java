package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * L: listings longer than one page of the store ({@link
 * DestinationCompatibilityKit#listingPageSize()}): a destination that forgets the continuation of a
 * paged listing loses every file past the first page, and with it the end of every long chain.
 */
abstract class LongListingRules extends RuleGroup {

  LongListingRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  /**
   * The files of L1.1 and L1.2, sorted: three in {@code db/0/}, a page and one in {@code db/1/} (so
   * that its own listing crosses a page boundary, as does the whole listing), then three each in
   * {@code db/10/} (a folder whose name starts with {@code db/1}) and {@code db/2/}.
   */
  private List<StoredFile> longListing() {
    int page = kit().listingPageSize();
    List<StoredFile> files = new ArrayList<>();
    addFolder(files, "db/0/", 3);
    addFolder(files, "db/1/", page + 1);
    addFolder(files, "db/10/", 3);
    addFolder(files, "db/2/", 3);
    return files;
  }

  private static void addFolder(List<StoredFile> files, String folder, int count) {
    for (int i = 0; i < count; i++) {
      files.add(new StoredFile(String.format("%s%06d.json.gz", folder, i), 1 + i % 13, "-"));
    }
  }

  /** Uploads every file of {@code files} on {@code parallelUploads()} threads. */
  private void uploadAll(String rule, List<StoredFile> files) throws Exception {
    List<Callable<StoredFile>> tasks = new ArrayList<>();
    for (StoredFile file : files) {
      tasks.add(() -> f().upload(rule, file.name(), f().data(file.name(), file.size())));
    }
    inParallel(rule, tasks);
  }

  private static List<StoredFile> under(List<StoredFile> files, String prefix) {
    return files.stream().filter(file -> file.name().startsWith(prefix)).toList();
  }

  private void assertListed(String rule, String prefix, List<StoredFile> expected)
      throws InterruptedException {
    List<String> listed = Fixture.namesAndSizes(f().awaitListed(rule, prefix, expected));
    List<String> wanted = Fixture.namesAndSizes(expected);
    List<String> missing = new ArrayList<>(wanted);
    missing.removeAll(listed);
    assertThat(listed)
        .withFailMessage(
            "%s: list('%s') returned %d files, expected %d (a listing page holds %d); %d"
                + " missing, first missing: %s; the listing must follow every continuation,"
                + " in name order, without repeats",
            rule,
            prefix,
            listed.size(),
            wanted.size(),
            kit().listingPageSize(),
            missing.size(),
            missing.stream().limit(3).toList())
        .containsExactlyElementsOf(wanted);
  }

  /**
   * L1.1 and L1.2 share one upload of {@link #longListing()}, the longest part of both (on S3, a
   * thousand PUTs and DELETEs): the fixture is set up and cleaned around the factory, and each rule
   * is a test of its own.
   */
  @TestFactory
  @DisplayName("L1.1 and L1.2 listings longer than one page")
  Stream<DynamicTest> longListings() throws Exception {
    List<StoredFile> files = longListing();
    uploadAll("L1.1", files);
    return Stream.of(
        dynamicTest(
            "L1.1 a listing longer than one page returns every file, sorted, once",
            () -> assertListed("L1.1", "", files)),
        dynamicTest(
            "L1.2 a prefix listing that crosses a page boundary returns exactly its files",
            () -> {
              assertListed("L1.2", "db/1/", under(files, "db/1/"));
              assertListed("L1.2", "db/1", under(files, "db/1"));
              assertListed("L1.2", "db/0/0000", under(files, "db/0/0000"));
            }));
  }

  @Test
  @DisplayName("L1.3 a chain of more than one page of files restores equal to the source")
  void longChainRestores() throws Exception {
    assumeTrue(
        f().capabilities.immediateReads(),
        "L1.3 skipped: destination declares no immediate reads, and restoring a chain of more"
            + " than listingPageSize() files costs one retrieval per file; implement"
            + " capabilities().immediateReads() to run it");
    int files = kit().listingPageSize() + 1;
    BackupScenario s = BackupScenario.open(f(), "L1.3", false);
    // The engine writes the chain at its own pace; its files then go up in parallel.
    s.faults.deferUploads(Files.createDirectories(f().scratch().resolve("chain")));
    s.backUp(true);
    for (int i = 1; i < files; i++) {
      s.source.putDocument("long/" + i, "{}", "{\"n\":" + i + "}");
      s.backUpWithoutContents(false);
    }
    List<Callable<StoredFile>> uploads = new ArrayList<>();
    for (Faults.Deferred file : s.faults.takeDeferred()) {
      uploads.add(() -> f().upload("L1.3", file.name(), file.file(), file.metadata()));
    }
    inParallel("L1.3", uploads);
    SqliteDatabase target = s.emptyTarget();
    RestoreResult result = s.restore(s.freshDestination(), BackupScenario.latest(), target);
    assertThat(result.files())
        .withFailMessage(
            "L1.3: the restore applied %d files of a chain of %d (a listing page holds %d):"
                + " the listing of the chain lost files",
            result.files().size(), files, kit().listingPageSize())
        .hasSize(files);
    s.assertEqual(
        "the restore of a chain of " + files + " files", BackupScenario.contents(s.source), target);
  }
}
