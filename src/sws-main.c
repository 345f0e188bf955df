/* sws-main.c: sipwsd, the SIP-over-WebSocket registrar and proxy daemon */

#define G_LOG_DOMAIN "sws-main"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sws-config.h"
#include "sws-dbus-bridge.h"
#include "sws-http-api.h"
#include "sws-log.h"
#include "sws-server.h"

/* How long SIGTERM waits for WebSocket close handshakes. */
#define SHUTDOWN_GRACE_MS 2000

typedef struct
{
  GMainLoop *loop;
  SwsServer *server;
  SwsConfig *config;
  char *config_path;
  GStrv listen;
  SwsDbusBridge *bridge;
  SwsHttpApi *http;
  guint grace_id;
  int exit_code;
} Daemon;

/* Each flow is a file descriptor: take all the kernel allows us. */
static void
raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return;
  if (rl.rlim_cur == rl.rlim_max)
    return;
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
    g_message ("Cannot raise the open-file limit to %lu: %s",
               (unsigned long) rl.rlim_max, g_strerror (errno));
}

static gboolean
load_config (Daemon     *d,
             SwsConfig  *config,
             GError    **error)
{
  if (!sws_config_load (config, d->config_path, error))
    return FALSE;
  sws_config_override_listen (config, (const char * const *) d->listen);
  if (!sws_config_validate (config, error))
    return FALSE;
  return TRUE;
}

static gboolean verbose_flag;

static void
apply_log_level (SwsConfig *config)
{
  const char *level = sws_config_get_log_level (config);

  if (!sws_log_set_level (level))
    g_warning ("[server] log-level=%s is not one of warning, message, info, debug; "
               "keeping %s", level, sws_log_get_level ());
  /* --verbose asks for at least info, whatever the file says. */
  else if (verbose_flag && (g_str_equal (level, "warning") || g_str_equal (level, "message")))
    sws_log_set_level ("info");
}

static gboolean
on_grace_over (gpointer user_data)
{
  Daemon *d = user_data;

  d->grace_id = 0;
  g_main_loop_quit (d->loop);
  return G_SOURCE_REMOVE;
}

static void
on_connection_closed (SwsTransport  *transport,
                      SwsConnection *connection,
                      gpointer       user_data)
{
  Daemon *d = user_data;

  if (d->grace_id != 0 && sws_transport_get_connection_count (transport) == 0)
    {
      g_clear_handle_id (&d->grace_id, g_source_remove);
      g_main_loop_quit (d->loop);
    }
}

static gboolean
on_terminate (gpointer user_data)
{
  Daemon *d = user_data;
  SwsTransport *transport = sws_server_get_transport (d->server);

  if (d->grace_id != 0)
    {
      /* A second signal: stop waiting. */
      g_main_loop_quit (d->loop);
      return G_SOURCE_CONTINUE;
    }

  g_message ("Shutting down: closing %u connection(s)",
             sws_transport_get_connection_count (transport));
  sws_http_api_stop (d->http);
  sws_server_stop (d->server);
  if (sws_transport_get_connection_count (transport) == 0)
    g_main_loop_quit (d->loop);
  else
    d->grace_id = g_timeout_add (SHUTDOWN_GRACE_MS, on_grace_over, d);
  return G_SOURCE_CONTINUE;
}

static gboolean
reload (gpointer   user_data,
        GError   **error)
{
  Daemon *d = user_data;
  g_autoptr(SwsConfig) fresh = sws_config_new ();

  if (!load_config (d, fresh, error))
    return FALSE;
  /* The users file too: a broken one keeps the running users. */
  if (!sws_server_configure_auth (d->server, fresh, error))
    return FALSE;
  sws_config_update_from (d->config, fresh);
  sws_server_config_changed (d->server);
  apply_log_level (d->config);
  if (d->bridge != NULL)
    sws_dbus_bridge_config_changed (d->bridge);
  g_message ("Configuration reloaded from %s",
             sws_config_get_path (d->config) ? sws_config_get_path (d->config) : "defaults");
  return TRUE;
}

static gboolean
on_reload (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!reload (user_data, &error))
    g_warning ("Reload failed, keeping the running configuration: %s", error->message);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_auto(GStrv) listen = NULL;
  g_autoptr(SwsConfig) config = NULL;
  g_autoptr(SwsServer) server = NULL;
  g_autoptr(SwsDbusBridge) bridge = NULL;
  g_autoptr(SwsHttpApi) http = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean verbose = FALSE, version = FALSE, no_dbus = FALSE;
  const char * const *uris;
  Daemon d = { 0 };
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &listen,
      N_("Listen on URI, e.g. ws://127.0.0.1:5066 (repeatable; replaces the configured list)"),
      N_("URI") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Read settings from FILE instead of the default locations"), N_("FILE") },
    { "no-dbus", 0, 0, G_OPTION_ARG_NONE, &no_dbus,
      N_("Do not connect to the session bus"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Log connections and other details"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("SIP registrar and proxy for WebSocket clients (RFC 7118)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
      return 2;
    }
  if (version)
    {
      g_print ("sipwsd %s\n", PACKAGE_VERSION);
      return 0;
    }

  sws_log_init (verbose);
  verbose_flag = verbose;
  raise_fd_limit ();

  d.config_path = config_path;
  d.listen = listen;
  config = sws_config_new ();
  if (!load_config (&d, config, &error))
    {
      g_printerr ("sipwsd: %s\n", error->message);
      return 1;
    }
  apply_log_level (config);

  server = sws_server_new (config);
  /* Before the listeners open: no plain HTTP request goes unserved. */
  http = sws_http_api_new (server);
  d.http = http;
  if (!sws_server_start (server, &error))
    {
      g_printerr ("sipwsd: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  d.loop = loop;
  d.server = server;
  d.config = config;

  uris = sws_transport_get_listen_uris (sws_server_get_transport (server));
  for (guint i = 0; uris[i] != NULL; i++)
    g_message ("Listening on %s", uris[i]);

  /* Only now: owning the bus name tells systemd (Type=dbus) that SIP is
   * being accepted. */
  if (!no_dbus)
    {
      bridge = sws_dbus_bridge_new (server, reload, &d);
      if (!sws_dbus_bridge_start (bridge, NULL, &error))
        {
          g_message ("No session bus (%s): serving SIP without the D-Bus interface",
                     error->message);
          g_clear_error (&error);
          g_clear_object (&bridge);
        }
      d.bridge = bridge;
    }

  g_signal_connect (sws_server_get_transport (server), "connection-closed",
                    G_CALLBACK (on_connection_closed), &d);
  g_unix_signal_add (SIGINT, on_terminate, &d);
  g_unix_signal_add (SIGTERM, on_terminate, &d);
  g_unix_signal_add (SIGHUP, on_reload, &d);

  g_main_loop_run (loop);

  /* Let the closes already under way (sockets, bus) finish. */
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  g_signal_handlers_disconnect_by_data (sws_server_get_transport (server), &d);
  g_message ("Stopped");
  return d.exit_code;
}
