/* test-install.c: `meson install` puts every file where it is looked for
 *
 * Installs the build tree into a temporary DESTDIR and checks the places
 * systemd, the D-Bus daemon, man and users look in, and that the unit
 * and the activation file name the installed daemon and each other.
 * Meson passes the directories it was configured with.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>

/* One installation for every test: the first test to need it makes it. */
typedef struct
{
  char *destdir;
} Fixture;

static Fixture installation;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set (meson test sets it)", name);
  return value;
}

/* DESTDIR + an absolute installation directory + names. */
static char *
installed (Fixture *f, const char *dir_variable, const char *first, ...)
{
  GString *path = g_string_new (f->destdir);
  va_list args;

  g_string_append (path, env (dir_variable));
  va_start (args, first);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    {
      g_string_append_c (path, '/');
      g_string_append (path, part);
    }
  va_end (args);
  return g_string_free (path, FALSE);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct
{
  gboolean done;
  char *output;
} Run;

static void
on_communicated (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->output, NULL, NULL);
  run->done = TRUE;
}

static void
install (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) meson = NULL;
  gboolean timed_out = FALSE;
  Run run = { 0 };
  guint deadline;

  f->destdir = g_dir_make_tmp ("sws-install-XXXXXX", &error);
  g_assert_no_error (error);
  /* --no-rebuild: meson test built everything already, and a test must
   * not rebuild the tree it runs from. */
  meson = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                            &error, env ("SWS_MESON"), "install", "-C", env ("SWS_BUILD_ROOT"),
                            "--destdir", f->destdir, "--no-rebuild", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (meson, NULL, NULL, on_communicated, &run);
  deadline = g_timeout_add_seconds (60, on_deadline, &timed_out);
  while (!run.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (meson);
      g_error ("meson install did not finish in 60 s");
    }
  g_source_remove (deadline);
  g_subprocess_wait (meson, NULL, NULL);
  if (!g_subprocess_get_successful (meson))
    g_error ("meson install failed:\n%s", run.output ? run.output : "");
  g_free (run.output);
}

static gboolean
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_tree (child);
    }
  return g_file_delete (file, NULL, NULL);
}

static void
setup (Fixture *f, gconstpointer data)
{
  if (installation.destdir == NULL)
    install (&installation);
  f->destdir = installation.destdir;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  f->destdir = NULL;
}

static void
assert_file (const char *path, gboolean executable)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size == 0)
    g_error ("not installed (or empty): %s", path);
  if (executable && !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("not executable: %s", path);
}

static GKeyFile *
load_keyfile (const char *path)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  assert_file (path, FALSE);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&kf);
}

static void
assert_key (GKeyFile *kf, const char *group, const char *key, const char *expected)
{
  g_autofree char *value = g_key_file_get_value (kf, group, key, NULL);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_binaries (Fixture *f, gconstpointer data)
{
  g_autofree char *sipwsd = installed (f, "SWS_BINDIR", "sipwsd", NULL);
  g_autofree char *sipwsctl = installed (f, "SWS_BINDIR", "sipwsctl", NULL);

  assert_file (sipwsd, TRUE);
  assert_file (sipwsctl, TRUE);
}

static void
test_session_service (Fixture *f, gconstpointer data)
{
  g_autofree char *unit_path = installed (f, "SWS_USER_UNIT_DIR", "sipwsd.service", NULL);
  g_autofree char *activation_path = installed (f, "SWS_DATADIR", "dbus-1", "services",
                                                "org.sipws.Server1.service", NULL);
  g_autofree char *exec = g_build_filename (env ("SWS_BINDIR"), "sipwsd", NULL);
  g_autoptr(GKeyFile) unit = load_keyfile (unit_path);
  g_autoptr(GKeyFile) activation = load_keyfile (activation_path);
  g_autofree char *description = g_key_file_get_value (unit, "Unit", "Description", NULL);
  g_autofree char *documentation = g_key_file_get_value (unit, "Unit", "Documentation", NULL);

  /* systemd user unit: ready when it owns the name (after listening) */
  g_assert_nonnull (description);
  g_assert_nonnull (documentation);
  g_assert_nonnull (strstr (documentation, "man:sipwsd(8)"));
  assert_key (unit, "Service", "Type", "dbus");
  assert_key (unit, "Service", "BusName", "org.sipws.Server1");
  assert_key (unit, "Service", "ExecStart", exec);
  assert_key (unit, "Service", "Restart", "on-failure");

  /* D-Bus activation hands the start to systemd */
  assert_key (activation, "D-BUS Service", "Name", "org.sipws.Server1");
  assert_key (activation, "D-BUS Service", "Exec", exec);
  assert_key (activation, "D-BUS Service", "SystemdService", "sipwsd.service");
}

static void
test_interface (Fixture *f, gconstpointer data)
{
  g_autofree char *path = installed (f, "SWS_DATADIR", "dbus-1", "interfaces",
                                     "org.sipws.Server1.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *interfaces[] = { "org.sipws.Server1.Manager", "org.sipws.Server1.Registration",
                               "org.sipws.Server1.Call" };

  assert_file (path, FALSE);
  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    g_assert_nonnull (g_dbus_node_info_lookup_interface (node, interfaces[i]));
}

static void
test_man_pages (Fixture *f, gconstpointer data)
{
  const char *pages[][2] = {
    { "man8", "sipwsd.8" }, { "man1", "sipwsctl.1" }, { "man5", "sipwsd.conf.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = installed (f, "SWS_MANDIR", pages[i][0], pages[i][1], NULL);

      assert_file (path, FALSE);
    }
}

static void
test_example_config (Fixture *f, gconstpointer data)
{
  g_autofree char *path = installed (f, "SWS_DATADIR", "doc", "sipws", "examples",
                                     "sipwsd.conf", NULL);
  g_autoptr(GKeyFile) kf = load_keyfile (path);

  g_assert_true (g_key_file_has_group (kf, "server"));
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/sws/install/" path, Fixture, NULL, setup, func, teardown)
  ADD ("binaries", test_binaries);
  ADD ("session-service", test_session_service);
  ADD ("interface", test_interface);
  ADD ("man-pages", test_man_pages);
  ADD ("example-config", test_example_config);

  status = g_test_run ();
  if (installation.destdir != NULL)
    {
      g_autoptr(GFile) dest = g_file_new_for_path (installation.destdir);

      remove_tree (dest);
      g_free (installation.destdir);
    }
  return status;
}
