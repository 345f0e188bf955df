/* test-docs.c: the man pages render cleanly and say what the code does
 *
 * groff with every warning on must have nothing to say about them, and
 * they must cover what the programs offer: every option of sipwsd
 * --help-all in sipwsd(8), every command of sipwsctl --help in
 * sipwsctl(1), every configuration key sws-config.c knows in
 * sipwsd.conf(5). A new option or key without documentation fails here.
 */

#include <gio/gio.h>

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set (meson test sets it)", name);
  return value;
}

static char *
source_file (const char *first, ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (char *) env ("SWS_SOURCE_ROOT"));
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (char *) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* A man page's source with escapes undone where they hide words: "\-" is
 * a hyphen, font changes ("\fB") are noise. */
static char *
man_text (const char *page)
{
  g_autofree char *path = source_file ("docs", page, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) fonts = g_regex_new ("\\\\f[BIRP]", 0, 0, NULL);
  g_autofree char *plain = NULL;
  g_auto(GStrv) parts = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  plain = g_regex_replace_literal (fonts, text, -1, 0, "", 0, NULL);
  parts = g_strsplit (plain, "\\-", -1);
  return g_strjoinv ("-", parts);
}

/* Run a program to its end (bounded); returns stdout, fills `err`. */
static char *
run (char **err, int *status, const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* These programs print and exit; meson's timeout bounds them. */
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_lint (void)
{
  const char *pages[] = { "sipwsd.8", "sipwsctl.1", "sipwsd.conf.5" };
  g_autofree char *groff = g_find_program_in_path ("groff");

  /* Fail, not skip: unchecked man pages are how broken ones ship. */
  if (groff == NULL)
    g_error ("groff is not installed (Debian: groff-base)");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = source_file ("docs", pages[i], NULL);
      const char *argv[] = { groff, "-man", "-Tutf8", "-ww", "-z", path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      out = run (&err, &status, argv);
      g_test_message ("%s: %s", pages[i], err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (err, ==, "");
    }
}

static void
test_daemon_options (void)
{
  const char *argv[] = { env ("SWS_DAEMON"), "--help-all", NULL };
  g_autofree char *man = man_text ("sipwsd.8");
  g_autofree char *err = NULL;
  g_autofree char *help = NULL;
  g_autoptr(GRegex) option = g_regex_new ("^\\s+(-[a-zA-Z], )?(--[a-z][a-z-]*)", G_REGEX_MULTILINE,
                                          0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint seen = 0;
  int status;

  help = run (&err, &status, argv);
  g_assert_cmpint (status, ==, 0);
  g_regex_match (option, help, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 2);

      /* GLib's own help options are not ours to document. */
      if (g_str_has_prefix (name, "--help"))
        continue;
      seen++;
      if (strstr (man, name) == NULL)
        g_error ("sipwsd(8) does not document %s", name);
    }
  g_assert_cmpuint (seen, >=, 4);
}

static void
test_ctl_commands (void)
{
  const char *argv[] = { env ("SWS_CTL"), "--help", NULL };
  g_autofree char *man = man_text ("sipwsctl.1");
  g_autofree char *err = NULL;
  g_autofree char *help = NULL;
  const char *commands;
  g_auto(GStrv) lines = NULL;
  guint seen = 0;
  int status;

  help = run (&err, &status, argv);
  g_assert_cmpint (status, ==, 0);
  commands = strstr (help, "Commands:\n");
  g_assert_nonnull (commands);
  lines = g_strsplit (commands + strlen ("Commands:\n"), "\n", -1);
  /* "  NAME [ARG]   help", up to the first empty line */
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) words = g_strsplit (g_strstrip (lines[i]), " ", 2);
      g_autofree char *entry = g_strdup_printf (".B %s", words[0]);
      g_autofree char *entry_arg = g_strdup_printf (".BI %s ", words[0]);

      seen++;
      if (strstr (man, entry) == NULL && strstr (man, entry_arg) == NULL)
        g_error ("sipwsctl(1) does not document the command %s", words[0]);
    }
  g_assert_cmpuint (seen, ==, 9);
  g_assert_nonnull (strstr (man, "--json"));
}

static void
test_config_keys (void)
{
  g_autofree char *man = man_text ("sipwsd.conf.5");
  g_autofree char *path = source_file ("src", "sws-config.c", NULL);
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  /* static const char *const server_keys[] = { "listen", …, NULL }; */
  g_autoptr(GRegex) table = g_regex_new ("const char \\*const (\\w+)_keys\\[\\] = \\{([^}]*)\\}",
                                         0, 0, NULL);
  g_autoptr(GRegex) quoted = g_regex_new ("\"([a-z-]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) tables = NULL;
  guint n_groups = 0, n_keys = 0;

  g_file_get_contents (path, &source, NULL, &error);
  g_assert_no_error (error);
  g_regex_match (table, source, 0, &tables);
  for (; g_match_info_matches (tables); g_match_info_next (tables, NULL))
    {
      g_autofree char *group = g_match_info_fetch (tables, 1);
      g_autofree char *keys = g_match_info_fetch (tables, 2);
      g_autofree char *heading = g_strdup_printf (".SH [%s]\n", group);
      g_autoptr(GMatchInfo) key = NULL;
      const char *section = strstr (man, heading);
      const char *next;
      g_autofree char *body = NULL;

      n_groups++;
      if (section == NULL)
        g_error ("sipwsd.conf(5) has no section [%s]", group);
      /* The key must be in its group's section, as a tagged paragraph. */
      next = strstr (section + strlen (heading), "\n.SH ");
      body = next ? g_strndup (section, next - section) : g_strdup (section);
      g_regex_match (quoted, keys, 0, &key);
      for (; g_match_info_matches (key); g_match_info_next (key, NULL))
        {
          g_autofree char *name = g_match_info_fetch (key, 1);
          g_autofree char *entry = g_strdup_printf ("\n.B %s\n", name);

          n_keys++;
          if (strstr (body, entry) == NULL)
            g_error ("sipwsd.conf(5) does not document [%s] %s", group, name);
        }
    }
  g_assert_cmpuint (n_groups, >=, 3);
  g_assert_cmpuint (n_keys, >=, 10);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/docs/man/lint", test_lint);
  g_test_add_func ("/sws/docs/man/sipwsd-options", test_daemon_options);
  g_test_add_func ("/sws/docs/man/sipwsctl-commands", test_ctl_commands);
  g_test_add_func ("/sws/docs/man/config-keys", test_config_keys);

  return g_test_run ();
}
