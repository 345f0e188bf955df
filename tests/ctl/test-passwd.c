/* test-passwd.c: sipwsctl passwd writes the users file of [auth]
 *
 * sipwsctl runs as users run it, its password on standard input (a pipe,
 * so it reads one line), XDG_CONFIG_HOME pointing at a directory of the
 * test's own. Checked: the lines it writes (both algorithms, the right
 * HA1), what it keeps, the file mode, the defaults it takes from sipwsd's
 * configuration, and the exit status (0, 1 failure, 2 bad usage).
 */

#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sws-sip-digest.h"

typedef struct
{
  char *dir;        /* XDG_CONFIG_HOME */
  char *users;      /* a users file in it */
  char *out;
  char *err;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sws-passwd-XXXXXX", &error);
  g_assert_no_error (error);
  f->users = g_build_filename (f->dir, "users", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->users);
  g_free (f->out);
  g_free (f->err);
}

/* Run sipwsctl with `input` on its standard input; returns the exit
 * status, output in f->out and f->err. */
static int
ctl (Fixture *f, const char *input, ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("SWS_CTL");
  va_list ap;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SWS_CTL must name the sipwsctl binary (meson test sets it)");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, input);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* It reads one line and exits; meson's timeout bounds it. */
  g_subprocess_communicate_utf8 (process, input, NULL, &f->out, &f->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

#define CTL(f, input, ...) ctl ((f), (input), __VA_ARGS__, NULL)

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_file (const char *path, const char *text, int mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
}

/* The two lines passwd writes for user/realm/password. */
static char *
lines_for (const char *user, const char *realm, const char *password)
{
  g_autofree char *md5 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, user, realm, password);
  g_autofree char *sha = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_SHA256, user, realm, password);

  return g_strdup_printf ("%s:%s:MD5:%s\n%s:%s:SHA-256:%s\n", user, realm, md5, user, realm,
                          sha);
}

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autofree char *text = NULL;
  g_autofree char *expected = lines_for ("alice", "example.com", "s3cret: with spaces");

  g_assert_cmpint (CTL (f, "s3cret: with spaces\n", "passwd", "--file", f->users,
                        "--realm", "example.com", "alice"), ==, 0);
  g_assert_nonnull (strstr (f->out, "alice"));
  text = read_file (f->users);
  g_assert_true (g_str_has_prefix (text, "#"));
  g_assert_true (g_str_has_suffix (text, expected));
  assert_mode_0600 (f->users);
}

static void
test_update (Fixture *f, gconstpointer data)
{
  g_autofree char *old_alice = lines_for ("alice", "example.com", "old");
  g_autofree char *bob = lines_for ("bob", "example.com", "bob");
  g_autofree char *alice_elsewhere = lines_for ("alice", "example.org", "x");
  g_autofree char *before = g_strconcat ("# our users\n", bob, old_alice, alice_elsewhere, NULL);
  g_autofree char *new_alice = lines_for ("alice", "example.com", "new");
  g_autofree char *expected = g_strconcat ("# our users\n", bob, new_alice, alice_elsewhere,
                                           NULL);
  g_autofree char *after = NULL;

  write_file (f->users, before, 0644);
  /* -f and -r, and a password line ending in CRLF */
  g_assert_cmpint (CTL (f, "new\r\n", "passwd", "-f", f->users, "-r", "example.com", "alice"),
                   ==, 0);
  after = read_file (f->users);
  g_assert_cmpstr (after, ==, expected);
  assert_mode_0600 (f->users);
}

static void
test_config_defaults (Fixture *f, gconstpointer data)
{
  g_autofree char *conf_dir = g_build_filename (f->dir, "sipws", NULL);
  g_autofree char *conf = g_build_filename (conf_dir, "sipwsd.conf", NULL);
  g_autofree char *users = g_build_filename (conf_dir, "users", NULL);
  g_autofree char *expected = lines_for ("carol", "example.org", "pw");
  g_autofree char *text = NULL;

  g_assert_cmpint (g_mkdir_with_parents (conf_dir, 0700), ==, 0);
  /* The file and realm sipwsd would use: users-file= relative to the
   * configuration, the realm from domains= */
  write_file (conf, "[server]\ndomains=example.org;example.net\n[auth]\nusers-file=users\n", 0644);
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "carol"), ==, 0);
  text = read_file (users);
  g_assert_true (g_str_has_suffix (text, expected));
}

static void
test_usage (Fixture *f, gconstpointer data)
{
  /* no USER, two, an unknown option, a name the file cannot hold */
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--file", f->users), ==, 2);
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--file", f->users, "a", "b"), ==, 2);
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--bogus", "a"), ==, 2);
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--file", f->users, "a:b"), ==, 2);
  g_assert_nonnull (strstr (f->err, "a:b"));
  /* no --file and no [auth] in any configuration */
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "alice"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--file"));
  /* the main options do not go with passwd */
  g_assert_cmpint (CTL (f, "pw\n", "--json", "passwd", "alice"), ==, 2);
  g_assert_false (g_file_test (f->users, G_FILE_TEST_EXISTS));
}

static void
test_failures (Fixture *f, gconstpointer data)
{
  g_autofree char *after = NULL;
  g_autofree char *missing_dir = g_build_filename (f->dir, "no", "such", "users", NULL);
  const char *broken = "# line 1\nbob:example.com:MD5:xyz\n";

  /* an empty password, or none at all */
  g_assert_cmpint (CTL (f, "\n", "passwd", "--file", f->users, "alice"), ==, 1);
  g_assert_cmpint (CTL (f, "", "passwd", "--file", f->users, "alice"), ==, 1);
  g_assert_false (g_file_test (f->users, G_FILE_TEST_EXISTS));

  /* a broken file is left alone, and the message says where it broke */
  write_file (f->users, broken, 0600);
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--file", f->users, "--realm", "example.com",
                        "alice"), ==, 1);
  g_assert_nonnull (strstr (f->err, ":2:"));
  after = read_file (f->users);
  g_assert_cmpstr (after, ==, broken);

  /* a directory that does not exist */
  g_assert_cmpint (CTL (f, "pw\n", "passwd", "--file", missing_dir, "alice"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sws/ctl/passwd/" path, Fixture, NULL, setup, func, teardown)
  ADD ("create", test_create);
  ADD ("update", test_update);
  ADD ("config-defaults", test_config_defaults);
  ADD ("usage", test_usage);
  ADD ("failures", test_failures);
#undef ADD

  return g_test_run ();
}
