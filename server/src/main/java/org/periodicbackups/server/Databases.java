package org.periodicbackups.server;

import io.javalin.http.Context;
import java.io.IOException;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/** Finds the database a request names in its {@code {db}} path parameter. */
final class Databases {
  private final SqliteStore store;

  Databases(SqliteStore store) {
    this.store = store;
  }

  /** The open database, or 404 naming the existing ones. */
  SqliteDatabase of(Context ctx) throws IOException {
    return store.open(ctx.pathParam("db"));
  }

  SqliteStore store() {
    return store;
  }
}
