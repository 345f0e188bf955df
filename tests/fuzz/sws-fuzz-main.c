/* sws-fuzz-main.c: run a fuzz target once on each file, without libFuzzer
 *
 * Usage: fuzz-NAME PATH...  where each PATH is a file or a directory of
 * files (not recursive; names starting with '.' are skipped). Files are
 * run in name order so that a failure is reproducible. A PATH that does
 * not exist, or no input at all, is an error: a corpus that went missing
 * must not pass as "nothing crashed".
 */

#include <stdlib.h>
#include <string.h>

#include "sws-fuzz.h"

static gboolean
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  /* A copy of exactly `len` bytes, so that ASan sees a read past the
   * end; never NULL, as libFuzzer never passes NULL either. */
  {
    g_autofree guint8 *copy = g_malloc (MAX (len, 1));

    memcpy (copy, data, len);
    LLVMFuzzerTestOneInput (copy, len);
  }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Returns how many inputs ran, -1 on an error. */
static int
run_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s: no such file or directory\n", path);
      return -1;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return run_file (path) ? 1 : -1;

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return -1;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, names->pdata[i], NULL);

      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      if (g_getenv ("SWS_FUZZ_VERBOSE") != NULL)
        g_printerr ("%s\n", file);
      if (!run_file (file))
        return -1;
    }
  return (int) names->len;
}

int
main (int argc, char *argv[])
{
  int total = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("usage: %s FILE|DIR...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      int n = run_path (argv[i]);

      if (n < 0)
        return 1;
      g_print ("%s: %d inputs\n", argv[i], n);
      total += n;
    }
  if (total == 0)
    {
      g_printerr ("no input ran\n");
      return 1;
    }
  g_print ("%d inputs ran without a crash\n", total);
  return 0;
}
