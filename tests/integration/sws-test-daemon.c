/* sws-test-daemon.c: run the real sipwsd for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon is the binary that users run (path from $SWS_DAEMON, set by
 * meson), started on a free loopback port with a private config file and
 * its stderr captured to a file.  When a test fails, that file is printed,
 * also when the failure is an assertion that aborts the test process.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sws-test-daemon.h"

#define START_ATTEMPTS 3
#define PROBE_INTERVAL_MS 20

struct _SwsTestDaemon
{
  GMainContext *context;
  GKeyFile     *config;
  char         *tmpdir;
  char         *config_path;
  char         *log_path;

  GSubprocess  *process;
  GCancellable *wait_cancellable;
  gboolean      exited;
  int           exit_status;    /* exit code, or 128 + signal number */

  guint16       port;
  char         *uri;
  GPtrArray    *extra_listen;   /* more --listen URIs, e.g. wss://127.0.0.1:0 */
};

/* What the SIGABRT handler needs, kept in plain memory so that the handler
 * only calls async-signal-safe functions. */
static char abort_log_path[4096];
static volatile pid_t abort_pid;
static volatile sig_atomic_t log_printed;

static void
write_all (int         fd,
           const char *data,
           size_t      len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      len -= (size_t) n;
    }
}

static void
copy_log_to_stderr (const char *path)
{
  static const char header[] = "\n---- sipwsd stderr ----\n";
  static const char footer[] = "---- end of sipwsd stderr ----\n";
  char buf[4096];
  ssize_t n;
  int fd;

  if (log_printed || path[0] == '\0')
    return;
  log_printed = 1;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;

  write_all (STDERR_FILENO, header, sizeof header - 1);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    write_all (STDERR_FILENO, buf, (size_t) n);
  write_all (STDERR_FILENO, footer, sizeof footer - 1);
  close (fd);
}

static void
on_sigabrt (int signum)
{
  /* A failed g_assert() aborts the test: show what the daemon said and do
   * not leave it running behind us. */
  copy_log_to_stderr (abort_log_path);
  if (abort_pid > 0)
    kill (abort_pid, SIGKILL);

  signal (SIGABRT, SIG_DFL);
  raise (SIGABRT);
}

static void
install_abort_handler (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      struct sigaction sa = { 0 };

      sa.sa_handler = on_sigabrt;
      sigemptyset (&sa.sa_mask);
      sigaction (SIGABRT, &sa, NULL);
      g_once_init_leave (&installed, 1);
    }
}

static void
child_setup (gpointer user_data)
{
  /* Never outlive the test process, whatever kills it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
drop_log_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
}

/* g_test_init(), and quiet libraries: GTest prints every debug message as
 * a TAP comment, and libsoup logs each frame, which would bury the daemon's
 * log in a failed test's output.  SWS_TEST_DEBUG=1 brings them back. */
void
sws_test_init (int    *argc,
               char ***argv)
{
  const char *noisy[] = { "libsoup", "GLib-GIO", "GLib-Net" };

  g_test_init (argc, argv, NULL);

  if (g_strcmp0 (g_getenv ("SWS_TEST_DEBUG"), "1") == 0)
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (noisy); i++)
    g_log_set_handler (noisy[i], G_LOG_LEVEL_DEBUG, drop_log_message, NULL);
}

static gboolean
on_iterate_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sws_test_iterate_until (GMainContext *context,
                        guint         timeout_ms,
                        gboolean    (*done) (gpointer user_data),
                        gpointer      user_data)
{
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  if (done (user_data))
    return TRUE;

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_iterate_timeout, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!timed_out && !done (user_data))
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  return done (user_data);
}

static gboolean
never_done (gpointer user_data)
{
  return FALSE;
}

void
sws_test_sleep (guint ms)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  sws_test_iterate_until (context, ms, never_done, NULL);
}

static guint16
pick_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (sock, addr, FALSE, &error);
  g_assert_no_error (error);

  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_socket_close (sock, NULL);
  return port;
}

static gboolean
probe_port (guint16 port)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  gboolean ok;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, NULL);
  if (sock == NULL)
    return FALSE;
  g_socket_set_timeout (sock, 1);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (loopback, port);
  ok = g_socket_connect (sock, addr, NULL, NULL);
  g_socket_close (sock, NULL);

  return ok;
}

SwsTestDaemon *
sws_test_daemon_new (void)
{
  g_autoptr(GError) error = NULL;
  SwsTestDaemon *self = g_new0 (SwsTestDaemon, 1);

  install_abort_handler ();

  self->context = g_main_context_ref_thread_default ();
  self->config = g_key_file_new ();
  self->tmpdir = g_dir_make_tmp ("sipws-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->config_path = g_build_filename (self->tmpdir, "sipwsd.conf", NULL);
  self->log_path = g_build_filename (self->tmpdir, "sipwsd.log", NULL);
  self->exit_status = -1;

  return self;
}

GKeyFile *
sws_test_daemon_get_config (SwsTestDaemon *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->config;
}

static void
on_wait_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  SwsTestDaemon *self;

  /* Cancelled means the harness is being freed: do not touch it. */
  if (!g_subprocess_wait_finish (process, result, &error))
    return;

  self = user_data;
  if (process != self->process)
    return;

  self->exited = TRUE;
  if (g_subprocess_get_if_signaled (process))
    self->exit_status = 128 + g_subprocess_get_term_sig (process);
  else
    self->exit_status = g_subprocess_get_exit_status (process);

  abort_pid = 0;
}

static void
spawn (SwsTestDaemon *self,
       const char    *daemon_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  const char *pid_str;

  listen = g_strdup_printf ("ws://127.0.0.1:%u", self->port);

  /* stdin is /dev/null; stdout joins stderr in the log file, so that
   * nothing the daemon prints can corrupt the test's TAP output. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* Criticals are programming errors and must crash the daemon (and so
   * fail the test); warnings are operator messages and must not. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  /* Keep the developer's own configuration out of the tests. */
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", self->tmpdir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");

  {
    g_autoptr(GPtrArray) args = g_ptr_array_new ();

    g_ptr_array_add (args, (gpointer) daemon_path);
    g_ptr_array_add (args, (gpointer) "--listen");
    g_ptr_array_add (args, listen);
    for (guint i = 0; self->extra_listen != NULL && i < self->extra_listen->len; i++)
      {
        g_ptr_array_add (args, (gpointer) "--listen");
        g_ptr_array_add (args, self->extra_listen->pdata[i]);
      }
    g_ptr_array_add (args, (gpointer) "--config");
    g_ptr_array_add (args, self->config_path);
    g_ptr_array_add (args, (gpointer) "--no-dbus");
    g_ptr_array_add (args, (gpointer) "--verbose");
    g_ptr_array_add (args, NULL);
    self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata,
                                                  &error);
  }
  g_assert_no_error (error);

  self->exited = FALSE;
  self->exit_status = -1;
  self->wait_cancellable = g_cancellable_new ();
  g_subprocess_wait_async (self->process, self->wait_cancellable,
                           on_wait_done, self);

  pid_str = g_subprocess_get_identifier (self->process);
  abort_pid = pid_str ? (pid_t) atoi (pid_str) : 0;
  g_strlcpy (abort_log_path, self->log_path, sizeof abort_log_path);
  log_printed = 0;
}

static void
reap (SwsTestDaemon *self)
{
  if (self->process == NULL)
    return;

  if (!self->exited)
    {
      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
    }

  g_cancellable_cancel (self->wait_cancellable);
  g_clear_object (&self->wait_cancellable);
  g_clear_object (&self->process);
  abort_pid = 0;
}

static gboolean
is_exited (gpointer user_data)
{
  SwsTestDaemon *self = user_data;

  return self->exited;
}

/* Waits until a TCP connect succeeds.  Returns FALSE if the daemon exited
 * first (maybe someone else took the port) or did not listen in time. */
static gboolean
wait_listening (SwsTestDaemon *self)
{
  gint64 deadline = g_get_monotonic_time ()
                    + SWS_TEST_START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_pending (self->context))
        g_main_context_iteration (self->context, FALSE);

      if (self->exited)
        return FALSE;

      if (probe_port (self->port))
        {
          /* The port may belong to someone else: make sure the daemon did
           * not die on a bind error meanwhile. */
          sws_test_sleep (PROBE_INTERVAL_MS);
          return !self->exited;
        }

      sws_test_iterate_until (self->context, PROBE_INTERVAL_MS, is_exited, self);
    }

  return FALSE;
}

static void
print_log (SwsTestDaemon *self,
           const char    *why)
{
  g_printerr ("sipwsd: %s\n", why);
  copy_log_to_stderr (self->log_path);
}

void
sws_test_daemon_start (SwsTestDaemon *self)
{
  g_autoptr(GError) error = NULL;
  const char *daemon_path;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process == NULL);

  daemon_path = g_getenv ("SWS_DAEMON");
  if (daemon_path == NULL || !g_file_test (daemon_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("SWS_DAEMON must name the sipwsd binary (got %s)",
                      daemon_path ? daemon_path : "nothing");
      g_assert_not_reached ();
    }

  g_key_file_save_to_file (self->config, self->config_path, &error);
  g_assert_no_error (error);

  for (guint attempt = 1; attempt <= START_ATTEMPTS; attempt++)
    {
      self->port = pick_free_port ();
      spawn (self, daemon_path);

      if (wait_listening (self))
        {
          g_free (self->uri);
          self->uri = g_strdup_printf ("ws://127.0.0.1:%u/", self->port);
          return;
        }

      if (!self->exited)
        {
          print_log (self, "did not listen in time");
          reap (self);
          g_assert_not_reached ();
        }

      g_test_message ("sipwsd exited with status %d before listening on "
                      "port %u (attempt %u of %u)",
                      self->exit_status, self->port, attempt, START_ATTEMPTS);
      if (attempt == START_ATTEMPTS)
        {
          print_log (self, "exited before listening");
          g_assert_not_reached ();
        }
      reap (self);
    }
}

void
sws_test_daemon_send_signal (SwsTestDaemon *self,
                             int            signum)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process != NULL);

  g_subprocess_send_signal (self->process, signum);
}

int
sws_test_daemon_wait_exit (SwsTestDaemon *self,
                           guint          timeout_ms)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (self->process != NULL, -1);

  if (!sws_test_iterate_until (self->context, timeout_ms, is_exited, self))
    return -1;

  return self->exit_status;
}

gboolean
sws_test_daemon_is_running (SwsTestDaemon *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  return self->process != NULL && !self->exited;
}

void
sws_test_daemon_stop (SwsTestDaemon *self)
{
  int status;

  g_return_if_fail (self != NULL);

  if (self->process == NULL)
    return;

  if (!self->exited)
    sws_test_daemon_send_signal (self, SIGTERM);

  status = sws_test_daemon_wait_exit (self, SWS_TEST_EXIT_TIMEOUT_MS);
  if (status != 0)
    {
      print_log (self, status < 0 ? "did not exit within 5 s of SIGTERM"
                                  : "exited with a non-zero status");
      reap (self);
      g_assert_cmpint (status, ==, 0);
    }

  reap (self);
}

guint16
sws_test_daemon_get_port (SwsTestDaemon *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

const char *
sws_test_daemon_get_uri (SwsTestDaemon *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->uri;
}

char *
sws_test_daemon_dup_log (SwsTestDaemon *self)
{
  char *contents = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!g_file_get_contents (self->log_path, &contents, NULL, NULL))
    return g_strdup ("");

  return contents;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR)
          && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

void
sws_test_daemon_free (SwsTestDaemon *self)
{
  if (self == NULL)
    return;

  if (g_test_failed ())
    print_log (self, "test failed");

  reap (self);

  if (g_strcmp0 (abort_log_path, self->log_path) == 0)
    abort_log_path[0] = '\0';

  remove_tree (self->tmpdir);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->extra_listen, g_ptr_array_unref);
  g_clear_pointer (&self->log_path, g_free);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->tmpdir, g_free);
  g_clear_pointer (&self->config, g_key_file_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}

void
sws_test_daemon_add_listen (SwsTestDaemon *self,
                            const char    *uri)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process == NULL);

  if (self->extra_listen == NULL)
    self->extra_listen = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->extra_listen, g_strdup (uri));
}

const char *
sws_test_daemon_get_tmpdir (SwsTestDaemon *self)
{
  return self->tmpdir;
}
