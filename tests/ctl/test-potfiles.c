/* test-potfiles.c: po/POTFILES.in lists every file with translatable text
 *
 * xgettext reads only the files POTFILES.in names: a source file that
 * marks strings with _() but is missing there never reaches translators,
 * silently. This test makes that loud. Comments and string literals are
 * skipped, so that a comment about _() does not count as a use.
 */

#include <gio/gio.h>

/* The C text with comments and string/char literals blanked out. */
static char *
code_only (const char *text)
{
  GString *code = g_string_sized_new (strlen (text));
  const char *p = text;

  while (*p != '\0')
    {
      if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          p = end ? end + 2 : p + strlen (p);
          g_string_append_c (code, ' ');
        }
      else if (p[0] == '/' && p[1] == '/')
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          while (*p != '\0' && *p != quote && *p != '\n')
            p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
          if (*p == quote)
            p++;
          /* Keep the literal's place: _("…") still reads as a call. */
          g_string_append_c (code, quote);
          g_string_append_c (code, quote);
        }
      else
        g_string_append_c (code, *p++);
    }
  return g_string_free (code, FALSE);
}

static gboolean
marks_translatable (const char *text)
{
  /* gettext's glib preset: _(), N_(), C_(), NC_(), Q_() and the
   * gettext functions themselves. */
  static GRegex *call;
  g_autofree char *code = code_only (text);

  if (g_once_init_enter (&call))
    g_once_init_leave (&call, g_regex_new ("(^|[^A-Za-z0-9_])(N|C|NC|Q)?_\\s*\\(|"
                                           "\\b(g_)?d?n?p?gettext2?\\s*\\(",
                                           G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match (call, code, 0, NULL);
}

static void
test_scanner (void)
{
  const struct { const char *text; gboolean marks; } cases[] = {
    { "g_print (\"%s\", _(\"Hello\"));", TRUE },
    { "{ \"json\", 0, N_(\"Print JSON\") },", TRUE },
    { "_ (\"spaced\")", TRUE },
    { "C_(\"context\", \"text\")", TRUE },
    { "ngettext (\"one\", \"many\", n)", TRUE },
    { "sws_foo_(x); my_(y);", FALSE },
    { "/* strings in _() are translated */", FALSE },
    { "// _(\"not code\")", FALSE },
    { "g_print (\"use _(\\\"x\\\") here\");", FALSE },
    { "char c = '_'; f(c);", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (marks_translatable (cases[i].text), ==, cases[i].marks);
    }
}

static const char *
source_root (void)
{
  const char *root = g_getenv ("SWS_SOURCE_ROOT");

  if (root == NULL)
    g_error ("SWS_SOURCE_ROOT must name the source tree (meson test sets it)");
  return root;
}

/* The entries of po/POTFILES.in, relative to the source root. */
static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = g_build_filename (source_root (), "po", "POTFILES.in", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (entries, g_strdup (line));
    }
  return entries;
}

/* Every .c and .h under `dir` (relative to the source root), recursively. */
static void
collect_sources (const char *dir,
                 GPtrArray  *found)
{
  g_autofree char *path = g_build_filename (source_root (), dir, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (path, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_strconcat (dir, "/", name, NULL);
      g_autofree char *full = g_build_filename (source_root (), rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (rel, found);
      else if (g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h"))
        g_ptr_array_add (found, g_steal_pointer (&rel));
    }
}

static void
test_complete (void)
{
  g_autoptr(GPtrArray) entries = read_potfiles ();
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint marked = 0;

  collect_sources ("src", sources);
  g_assert_cmpuint (sources->len, >, 0);
  for (guint i = 0; i < sources->len; i++)
    {
      const char *rel = sources->pdata[i];
      g_autofree char *full = g_build_filename (source_root (), rel, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (full, &text, NULL, &error);
      g_assert_no_error (error);
      if (!marks_translatable (text))
        continue;
      marked++;
      if (!g_ptr_array_find_with_equal_func (entries, rel, g_str_equal, NULL))
        g_string_append_printf (missing, " %s", rel);
    }
  if (missing->len > 0)
    g_error ("these files mark strings for translation but po/POTFILES.in does not list "
             "them:%s", missing->str);
  /* The daemon and sipwsctl have user-facing text: the scan must see it. */
  g_assert_cmpuint (marked, >=, 2);
}

static void
test_entries_exist (void)
{
  g_autoptr(GPtrArray) entries = read_potfiles ();

  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *full = g_build_filename (source_root (), entries->pdata[i], NULL);

      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_error ("po/POTFILES.in lists %s, which does not exist", (char *) entries->pdata[i]);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/po/scanner", test_scanner);
  g_test_add_func ("/sws/po/potfiles/complete", test_complete);
  g_test_add_func ("/sws/po/potfiles/entries-exist", test_entries_exist);

  return g_test_run ();
}
