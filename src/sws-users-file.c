/* sws-users-file.c: the users file of Digest authentication
 *
 * Only HA1 hashes are kept, never passwords: that is all a Digest server
 * needs (RFC 7616 §3.4.2), though an HA1 still lets its holder log in as
 * that user in that realm, so the file must stay private (mode 0600).
 * Each user has one line per algorithm, because an MD5 HA1 cannot be
 * turned into a SHA-256 one (RFC 8760 §2.3).
 */

#define G_LOG_DOMAIN "sws-auth"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sws-users-file.h"

struct _SwsUsersFile
{
  GHashTable *users;   /* "user:realm" -> Hashes */
};

typedef struct
{
  char *ha1[SWS_DIGEST_ALGORITHM_SHA256 + 1];
} Hashes;

typedef struct
{
  const char *user;
  const char *realm;
  const char *algorithm_name;
  const char *ha1;
  SwsDigestAlgorithm algorithm;
} Entry;

static void
hashes_free (Hashes *hashes)
{
  for (guint i = 0; i < G_N_ELEMENTS (hashes->ha1); i++)
    g_free (hashes->ha1[i]);
  g_free (hashes);
}

void
sws_users_file_free (SwsUsersFile *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->users);
  g_free (self);
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
has_outer_space (const char *text)
{
  gsize len = strlen (text);

  return len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]));
}

gboolean
sws_users_file_check_names (const char  *username,
                            const char  *realm,
                            GError     **error)
{
  if (*username == '\0' || strchr (username, ':') != NULL || username[0] == '#' ||
      has_control (username) || has_outer_space (username))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” cannot be a user name: it must not be empty, start with “#”, "
                     "or hold “:”, control characters or surrounding blanks"), username);
      return FALSE;
    }
  if (*realm == '\0' || has_control (realm) || has_outer_space (realm))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” cannot be a realm: it must not be empty or hold control "
                     "characters or surrounding blanks"), realm);
      return FALSE;
    }
  return TRUE;
}

static gboolean
bad_shape (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("expected USER:REALM:ALGORITHM:HA1"));
  return FALSE;
}

/* Split one line, already stripped, in place. Blank lines and comments
 * give *is_entry FALSE. Errors say what is wrong, not where. */
static gboolean
parse_line (char     *line,
            Entry    *entry,
            gboolean *is_entry,
            GError  **error)
{
  char *first, *last, *before_last;

  *is_entry = FALSE;
  if (*line == '\0' || *line == '#')
    return TRUE;

  first = strchr (line, ':');
  last = strrchr (line, ':');
  if (first == NULL || first == last)
    return bad_shape (error);
  *last = '\0';
  before_last = strrchr (line, ':');
  if (before_last == first)
    return bad_shape (error);
  *first = '\0';
  *before_last = '\0';

  entry->user = line;
  entry->realm = first + 1;
  entry->algorithm_name = before_last + 1;
  entry->ha1 = last + 1;
  if (*entry->user == '\0' || *entry->realm == '\0')
    return bad_shape (error);

  entry->algorithm = sws_digest_algorithm_from_string (sws_str_c (entry->algorithm_name));
  if (entry->algorithm == SWS_DIGEST_ALGORITHM_UNKNOWN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("unknown algorithm “%s” (expected MD5 or SHA-256)"), entry->algorithm_name);
      return FALSE;
    }
  if (!sws_digest_is_hex (entry->ha1, sws_digest_hex_len (entry->algorithm)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("the %s HA1 must be %u hexadecimal digits"), entry->algorithm_name,
                   (guint) sws_digest_hex_len (entry->algorithm));
      return FALSE;
    }
  *is_entry = TRUE;
  return TRUE;
}

SwsUsersFile *
sws_users_file_parse (const char  *text,
                      gsize        len,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(SwsUsersFile) self = g_new0 (SwsUsersFile, 1);
  g_autofree char *copy = g_strndup (text, len);
  g_auto(GStrv) lines = NULL;

  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) hashes_free);
  if (strlen (copy) != len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a text file (it holds a NUL byte)"), name);
      return NULL;
    }

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *key = NULL;
      gboolean is_entry;
      Entry entry;
      Hashes *hashes;

      if (!parse_line (g_strstrip (lines[i]), &entry, &is_entry, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s", name, i + 1,
                       local_error->message);
          return NULL;
        }
      if (!is_entry)
        continue;

      key = g_strconcat (entry.user, ":", entry.realm, NULL);
      hashes = g_hash_table_lookup (self->users, key);
      if (hashes == NULL)
        {
          hashes = g_new0 (Hashes, 1);
          g_hash_table_insert (self->users, g_steal_pointer (&key), hashes);
        }
      if (hashes->ha1[entry.algorithm] != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s:%u: a second %s line for “%s” in realm “%s”"), name, i + 1,
                       sws_digest_algorithm_to_string (entry.algorithm), entry.user,
                       entry.realm);
          return NULL;
        }
      hashes->ha1[entry.algorithm] = g_ascii_strdown (entry.ha1, -1);
    }
  return g_steal_pointer (&self);
}

SwsUsersFile *
sws_users_file_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot read the users file: %s"), local_error->message);
      return NULL;
    }
  return sws_users_file_parse (text, len, path, error);
}

const char *
sws_users_file_lookup (SwsUsersFile       *self,
                       const char         *username,
                       const char         *realm,
                       SwsDigestAlgorithm  algorithm)
{
  g_autofree char *key = NULL;
  Hashes *hashes;

  if (algorithm == SWS_DIGEST_ALGORITHM_UNKNOWN || strchr (username, ':') != NULL)
    return NULL;
  key = g_strconcat (username, ":", realm, NULL);
  hashes = g_hash_table_lookup (self->users, key);
  return hashes ? hashes->ha1[algorithm] : NULL;
}

guint
sws_users_file_count (SwsUsersFile *self,
                      const char   *realm)
{
  GHashTableIter iter;
  const char *key;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_equal (strchr (key, ':') + 1, realm))
      n++;
  return n;
}

/* Is this line one of `username`'s in `realm`? The text is valid. */
static gboolean
line_is_for (const char *line,
             const char *username,
             const char *realm)
{
  g_autofree char *copy = g_strstrip (g_strdup (line));
  gboolean is_entry = FALSE;
  Entry entry;

  return parse_line (copy, &entry, &is_entry, NULL) && is_entry &&
         g_str_equal (entry.user, username) && g_str_equal (entry.realm, realm);
}

char *
sws_users_file_set_password (const char  *text,
                             const char  *name,
                             const char  *username,
                             const char  *realm,
                             const char  *password,
                             GError     **error)
{
  g_autoptr(SwsUsersFile) check = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) entries = g_string_new (NULL);
  const SwsDigestAlgorithm algorithms[] = { SWS_DIGEST_ALGORITHM_MD5, SWS_DIGEST_ALGORITHM_SHA256 };
  gboolean placed = FALSE;
  guint n;

  if (!sws_users_file_check_names (username, realm, error))
    return NULL;
  check = sws_users_file_parse (text, strlen (text), name, error);
  if (check == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      g_autofree char *ha1 = sws_digest_ha1 (algorithms[i], username, realm, password);

      g_string_append_printf (entries, "%s:%s:%s:%s\n", username, realm,
                              sws_digest_algorithm_to_string (algorithms[i]), ha1);
    }

  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  /* A final newline leaves an empty last element that is not a line. */
  if (n > 0 && lines[n - 1][0] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      if (!line_is_for (lines[i], username, realm))
        {
          g_string_append (out, lines[i]);
          g_string_append_c (out, '\n');
        }
      else if (!placed)
        {
          g_string_append (out, entries->str);
          placed = TRUE;
        }
    }
  if (!placed)
    g_string_append (out, entries->str);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
