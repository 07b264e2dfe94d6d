package org.periodicbackups.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the Studio page over a data folder's databases. Start it with {@link #start};
 * {@link #close} stops listening (the store and the daemon around it are the caller's to close).
 * Routes live in one class per resource; see the README for the list.
 */
public final class PbkServer implements AutoCloseable {
  /** The content type of Prometheus' text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(PbkServer.class);

  private final Javalin app;
  private final ServerOptions options;

  private PbkServer(Javalin app, ServerOptions options) {
    this.app = app;
    this.options = options;
  }

  /**
   * Starts listening on {@code options.bindAddress()}:{@code options.port()}.
   *
   * @throws IllegalStateException if the port cannot be bound (Javalin's message names it)
   */
  public static PbkServer start(ServerOptions options, ServerContext context) {
    requireNonNull(options, "options is null");
    requireNonNull(context, "context is null");
    JsonBodies bodies = new JsonBodies(options);
    Databases databases = new Databases(context.store());
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.maxRequestSize = options.maxBodyBytes();
              config.jetty.host = options.bindAddress();
              config.jetty.port = options.port();
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/studio";
                    files.directory = "/studio";
                    files.location = Location.CLASSPATH;
                  });
              if (options.requiresApiKey()) {
                config.routes.before(new ApiKeyCheck(options.apiKey()));
              }
              config.routes.get("/", ctx -> ctx.redirect("/studio/index.html"));
              new DatabaseRoutes(context, databases, bodies).register(config.routes);
              new DocumentRoutes(databases, bodies).register(config.routes);
              new AttachmentRoutes(databases, bodies).register(config.routes);
              new SettingRoutes(databases, bodies).register(config.routes);
              new BackupRoutes(context, databases, bodies).register(config.routes);
              new ImportRoutes(databases, bodies).register(config.routes);
              new ExportRoutes(databases).register(config.routes);
              if (context.metrics() != null) {
                config.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType(PROMETHEUS_TEXT).result(context.metrics().get()));
              }
              ErrorResponses.register(config);
            });
    app.start();
    PbkServer server = new PbkServer(app, options);
    LOG.info(
        "pbk server: listening on http://{}:{}/ (Studio at /studio/index.html){}",
        options.bindAddress(),
        server.port(),
        options.requiresApiKey() ? "; requests need X-Api-Key" : "");
    return server;
  }

  /** The port listened on (the one picked when the options said 0). */
  public int port() {
    return app.port();
  }

  /** The options it was started with; their {@code toString} hides the key. */
  public ServerOptions options() {
    return options;
  }

  /** Stops listening; requests in progress are given Jetty's graceful stop. */
  @Override
  public void close() {
    app.stop();
  }
}
