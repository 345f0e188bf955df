/* sws-ctl-test.c: sipwsctl against the real sipwsd on a private bus
 *
 * The daemon is the binary users run ($SWS_DAEMON), started on port 0 so
 * that no free-port guess can race, with its stderr in a file that is
 * printed when a test fails. sipwsctl ($SWS_CTL) runs as a child with the
 * test bus in its environment, and nothing waits without a bound.
 */

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "sws-ctl-test.h"

#define BUS_NAME "org.sipws.Server1"
#define ROOT "/org/sipws/Server1"

struct _SwsCtlTest
{
  GTestDBus *bus;
  GDBusConnection *conn;   /* our own, not the g_bus_get() singleton */
  char *tmpdir;
  char *config_path;
  char *log_path;
  GSubprocess *daemon;
  char *uri;
};

struct _SwsCtlProcess
{
  GSubprocess *process;
  GCancellable *cancellable;
  GDataInputStream *out;
  GDataInputStream *err;
  GPtrArray *out_lines;
  GPtrArray *err_lines;
  guint pending;           /* reads under way */
};

/* ---- waiting ------------------------------------------------------------ */

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sws_ctl_poll_until (guint      timeout_ms,
                    gboolean (*done) (gpointer user_data),
                    gpointer   user_data)
{
  gboolean timed_out = FALSE;
  guint tick = g_timeout_add (10, on_tick, NULL);
  guint deadline = g_timeout_add (timeout_ms, on_deadline, &timed_out);

  while (!done (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (!timed_out)
    g_source_remove (deadline);
  return done (user_data);
}

/* ---- the daemon --------------------------------------------------------- */

static void
die_with_parent (gpointer user_data)
{
  /* A test that aborts must not leave a daemon behind. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
print_daemon_log (SwsCtlTest *self)
{
  g_autofree char *log = NULL;

  if (self->log_path != NULL && g_file_get_contents (self->log_path, &log, NULL, NULL))
    g_printerr ("---- sipwsd stderr ----\n%s---- end of sipwsd stderr ----\n", log);
}

SwsCtlTest *
sws_ctl_test_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  SwsCtlTest *self = g_new0 (SwsCtlTest, 1);

  /* Fail, not skip: without a bus nothing here is tested. */
  if (dbus_daemon == NULL)
    g_error ("dbus-daemon is not installed (Debian: dbus-daemon; tools/test installs it)");

  self->tmpdir = g_dir_make_tmp ("sws-ctl-XXXXXX", &error);
  g_assert_no_error (error);
  self->config_path = g_build_filename (self->tmpdir, "sipwsd.conf", NULL);
  self->log_path = g_build_filename (self->tmpdir, "sipwsd.log", NULL);
  sws_ctl_test_write_config (self, "");

  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);
  self->conn = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (self->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return self;
}

void
sws_ctl_test_write_config (SwsCtlTest *self,
                           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (self->config_path, text, -1, &error);
  g_assert_no_error (error);
}

static gboolean
name_owned_or_exited (gpointer user_data)
{
  SwsCtlTest *self = user_data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (g_subprocess_get_identifier (self->daemon) == NULL)
    return TRUE;
  reply = g_dbus_connection_call_sync (self->conn, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", BUS_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static char *
read_listen_uri (SwsCtlTest *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree const char **uris = NULL;

  reply = g_dbus_connection_call_sync (self->conn, BUS_NAME, ROOT,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.sipws.Server1.Manager",
                                                      "ListenUris"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       SWS_CTL_TEST_TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  uris = g_variant_get_strv (value, NULL);
  g_assert_nonnull (uris[0]);
  return g_strdup (uris[0]);
}

void
sws_ctl_test_start_daemon (SwsCtlTest *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  const char *daemon = g_getenv ("SWS_DAEMON");

  g_assert_null (self->daemon);
  if (daemon == NULL || !g_file_test (daemon, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SWS_DAEMON must name the sipwsd binary (meson test sets it)");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Criticals are bugs and must fail the test; warnings are for users. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", self->tmpdir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  self->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon,
                                              "--listen", "ws://127.0.0.1:0",
                                              "--config", self->config_path,
                                              "--verbose", NULL);
  g_assert_no_error (error);

  /* The name is taken only once the listener is bound. */
  if (!sws_ctl_poll_until (SWS_CTL_TEST_TIMEOUT_MS, name_owned_or_exited, self) ||
      g_subprocess_get_identifier (self->daemon) == NULL)
    {
      print_daemon_log (self);
      g_error ("sipwsd did not take %s on the test bus", BUS_NAME);
    }
  self->uri = read_listen_uri (self);
}

static gboolean
has_exited (gpointer user_data)
{
  return g_subprocess_get_identifier (user_data) == NULL;
}

void
sws_ctl_test_stop_daemon (SwsCtlTest *self)
{
  g_autoptr(GSubprocess) daemon = g_steal_pointer (&self->daemon);

  g_assert_nonnull (daemon);
  g_subprocess_send_signal (daemon, SIGTERM);
  /* Iterate while it closes our clients' WebSockets. */
  if (!sws_ctl_poll_until (SWS_CTL_TEST_TIMEOUT_MS, has_exited, daemon))
    {
      g_subprocess_force_exit (daemon);
      print_daemon_log (self);
      g_error ("sipwsd did not stop on SIGTERM");
    }
  if (!g_subprocess_get_if_exited (daemon) || g_subprocess_get_exit_status (daemon) != 0)
    {
      print_daemon_log (self);
      g_error ("sipwsd did not exit cleanly");
    }
  g_clear_pointer (&self->uri, g_free);
}

const char *
sws_ctl_test_get_uri (SwsCtlTest *self)
{
  return self->uri;
}

void
sws_ctl_test_free (SwsCtlTest *self)
{
  if (self->daemon != NULL)
    {
      if (g_test_failed ())
        print_daemon_log (self);
      sws_ctl_test_stop_daemon (self);
    }
  g_dbus_connection_close_sync (self->conn, NULL, NULL);
  g_clear_object (&self->conn);
  g_test_dbus_down (self->bus);
  g_clear_object (&self->bus);
  g_unlink (self->config_path);
  g_unlink (self->log_path);
  g_rmdir (self->tmpdir);
  g_free (self->config_path);
  g_free (self->log_path);
  g_free (self->tmpdir);
  g_free (self->uri);
  g_free (self);
}

/* ---- sipwsctl ----------------------------------------------------------- */

static GPtrArray *
ctl_argv (const char *first_arg,
          va_list     args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *ctl = g_getenv ("SWS_CTL");

  if (ctl == NULL || !g_file_test (ctl, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SWS_CTL must name the sipwsctl binary (meson test sets it)");
  g_ptr_array_add (argv, g_strdup (ctl));
  for (const char *a = first_arg; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  g_ptr_array_add (argv, NULL);
  return argv;
}

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  GError *error;
} Communicate;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static gboolean
is_communicated (gpointer user_data)
{
  return ((Communicate *) user_data)->done;
}

static int
run_argv (const char  *bus_address,
          GPtrArray   *argv,
          char       **out,
          char       **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0 };

  if (bus_address != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The main context keeps running, so that our WebSocket clients are
   * served while sipwsctl talks to the daemon. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &c);
  if (!sws_ctl_poll_until (SWS_CTL_TEST_TIMEOUT_MS, is_communicated, &c))
    {
      g_subprocess_force_exit (process);
      sws_ctl_poll_until (1000, is_communicated, &c);
      g_error ("sipwsctl %s did not finish in %u ms",
               argv->len > 2 ? (char *) argv->pdata[1] : "", SWS_CTL_TEST_TIMEOUT_MS);
    }
  g_assert_no_error (c.error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("sipwsctl %s: exit %d\nstdout:\n%s\nstderr:\n%s",
                  argv->len > 2 ? (char *) argv->pdata[1] : "", g_subprocess_get_exit_status (process),
                  c.out, c.err);
  if (out != NULL)
    *out = g_steal_pointer (&c.out);
  if (err != NULL)
    *err = g_steal_pointer (&c.err);
  g_free (c.out);
  g_free (c.err);
  return g_subprocess_get_exit_status (process);
}

int
sws_ctl_runv (const char * const *args,
              char              **out,
              char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *ctl = g_getenv ("SWS_CTL");

  if (ctl == NULL || !g_file_test (ctl, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SWS_CTL must name the sipwsctl binary (meson test sets it)");
  g_ptr_array_add (argv, g_strdup (ctl));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return run_argv (NULL, argv, out, err);
}

int
sws_ctl_run_on_bus (const char  *bus_address,
                    char       **out,
                    char       **err,
                    const char  *first_arg,
                    ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = ctl_argv (first_arg, args);
  va_end (args);
  return run_argv (bus_address, argv, out, err);
}

JsonNode *
sws_ctl_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  if (error != NULL)
    g_error ("not JSON (%s):\n%s", error->message, text);
  return json_node_copy (json_parser_get_root (parser));
}

/* ---- sipwsctl in the background ----------------------------------------- */

static void read_next (SwsCtlProcess *self, GDataInputStream *stream);

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SwsCtlProcess *self = user_data;
  GDataInputStream *stream = G_DATA_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);

  self->pending--;
  if (line == NULL)
    return;   /* end of output, or cancelled */
  g_ptr_array_add (stream == self->out ? self->out_lines : self->err_lines, line);
  read_next (self, stream);
}

static void
read_next (SwsCtlProcess    *self,
           GDataInputStream *stream)
{
  self->pending++;
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, self->cancellable, on_line,
                                       self);
}

SwsCtlProcess *
sws_ctl_spawn (const char *first_arg,
               ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  SwsCtlProcess *self = g_new0 (SwsCtlProcess, 1);
  va_list args;

  va_start (args, first_arg);
  argv = ctl_argv (first_arg, args);
  va_end (args);
  self->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                     &error);
  g_assert_no_error (error);
  self->cancellable = g_cancellable_new ();
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  self->out_lines = g_ptr_array_new_with_free_func (g_free);
  self->err_lines = g_ptr_array_new_with_free_func (g_free);
  read_next (self, self->out);
  read_next (self, self->err);
  return self;
}

typedef struct
{
  GPtrArray *lines;
  const char *text;
  const char *found;
} LineWait;

static gboolean
has_line (gpointer user_data)
{
  LineWait *w = user_data;

  for (guint i = 0; i < w->lines->len && w->found == NULL; i++)
    if (strstr (w->lines->pdata[i], w->text) != NULL)
      w->found = w->lines->pdata[i];
  return w->found != NULL;
}

const char *
sws_ctl_process_wait_line (SwsCtlProcess *self,
                           gboolean       on_stderr,
                           const char    *text,
                           guint          timeout_ms)
{
  LineWait w = { on_stderr ? self->err_lines : self->out_lines, text, NULL };

  sws_ctl_poll_until (timeout_ms, has_line, &w);
  return w.found;
}

GPtrArray *
sws_ctl_process_get_lines (SwsCtlProcess *self)
{
  return self->out_lines;
}

static gboolean
output_done (gpointer user_data)
{
  SwsCtlProcess *self = user_data;

  return g_subprocess_get_identifier (self->process) == NULL && self->pending == 0;
}

int
sws_ctl_process_stop (SwsCtlProcess *self,
                      int            signum)
{
  g_subprocess_send_signal (self->process, signum);
  /* Also read what it printed up to its end. */
  if (!sws_ctl_poll_until (SWS_CTL_TEST_TIMEOUT_MS, output_done, self))
    {
      g_subprocess_force_exit (self->process);
      g_error ("sipwsctl did not stop on signal %d", signum);
    }
  if (g_subprocess_get_if_signaled (self->process))
    return 128 + g_subprocess_get_term_sig (self->process);
  return g_subprocess_get_exit_status (self->process);
}

static gboolean
no_reads_pending (gpointer user_data)
{
  return ((SwsCtlProcess *) user_data)->pending == 0;
}

void
sws_ctl_process_free (SwsCtlProcess *self)
{
  if (g_subprocess_get_identifier (self->process) != NULL)
    g_subprocess_force_exit (self->process);
  g_cancellable_cancel (self->cancellable);
  /* The read callbacks point at us: let them run first. */
  sws_ctl_poll_until (SWS_CTL_TEST_TIMEOUT_MS, no_reads_pending, self);
  g_clear_object (&self->out);
  g_clear_object (&self->err);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->process);
  g_ptr_array_unref (self->out_lines);
  g_ptr_array_unref (self->err_lines);
  g_free (self);
}
