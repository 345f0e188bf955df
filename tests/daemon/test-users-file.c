/* test-users-file.c: the users file: USER:REALM:ALGORITHM:HA1 lines */

#include <gio/gio.h>

#include "sws-users-file.h"

#define MD5_A "3d78807defe7de2157e2b0b6573a855f"
#define SHA_A "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232"

static SwsUsersFile *
parse (const char *text, GError **error)
{
  return sws_users_file_parse (text, strlen (text), "users", error);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsUsersFile) users = parse ("# comment\n"
                                         "\n"
                                         "   \t\n"
                                         "Mufasa:http-auth@example.org:MD5:" MD5_A "\r\n"
                                         "  Mufasa:http-auth@example.org:sha-256:"
                                         "7987C64C30E25F1B74BE53F966B49B90F2808AA92FAF9A00262392D7B4794232\n"
                                         "bob:sip.example.com:5060:MD5:" MD5_A,
                                         &error);

  g_assert_no_error (error);
  g_assert_nonnull (users);
  g_assert_cmpstr (sws_users_file_lookup (users, "Mufasa", "http-auth@example.org",
                                          SWS_DIGEST_ALGORITHM_MD5), ==, MD5_A);
  /* stored in lowercase, whatever the file says */
  g_assert_cmpstr (sws_users_file_lookup (users, "Mufasa", "http-auth@example.org",
                                          SWS_DIGEST_ALGORITHM_SHA256), ==, SHA_A);
  /* realms may hold ':' */
  g_assert_cmpstr (sws_users_file_lookup (users, "bob", "sip.example.com:5060",
                                          SWS_DIGEST_ALGORITHM_MD5), ==, MD5_A);
  g_assert_null (sws_users_file_lookup (users, "bob", "sip.example.com:5060",
                                        SWS_DIGEST_ALGORITHM_SHA256));
  g_assert_null (sws_users_file_lookup (users, "mufasa", "http-auth@example.org",
                                        SWS_DIGEST_ALGORITHM_MD5));
  g_assert_null (sws_users_file_lookup (users, "Mufasa", "other", SWS_DIGEST_ALGORITHM_MD5));
  g_assert_null (sws_users_file_lookup (users, "Mufasa:http-auth@example.org", "",
                                        SWS_DIGEST_ALGORITHM_MD5));
  g_assert_cmpuint (sws_users_file_count (users, "http-auth@example.org"), ==, 1);
  g_assert_cmpuint (sws_users_file_count (users, "sip.example.com:5060"), ==, 1);
  g_assert_cmpuint (sws_users_file_count (users, "nowhere"), ==, 0);
}

static void
test_errors (void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "alice", "users:1: expected USER:REALM:ALGORITHM:HA1" },
    { "# ok\nalice:realm:" MD5_A, "users:2: expected" },
    { "alice::MD5:" MD5_A, "users:1: expected" },
    { ":realm:MD5:" MD5_A, "users:1: expected" },
    { "alice:realm:SHA-512:" MD5_A, "users:1: unknown algorithm “SHA-512”" },
    { "alice:realm:MD5-sess:" MD5_A, "unknown algorithm" },
    { "alice:realm:SHA-256:" MD5_A, "users:1: the SHA-256 HA1 must be 64 hexadecimal digits" },
    { "alice:realm:MD5:" MD5_A "0", "the MD5 HA1 must be 32" },
    { "alice:realm:MD5:", "the MD5 HA1 must be 32" },
    { "alice:realm:MD5:" MD5_A "\n\nalice:realm:md5:" MD5_A,
      "users:3: a second MD5 line for “alice” in realm “realm”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SwsUsersFile) users = parse (cases[i].text, &error);

      g_assert_null (users);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s”: got “%s”, wanted “%s”", cases[i].text, error->message, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SwsUsersFile) users = sws_users_file_parse ("a\0b", 3, "users", &error);

    g_assert_null (users);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SwsUsersFile) users = sws_users_file_load ("/nonexistent/users", &error);

    g_assert_null (users);
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

static void
test_names (void)
{
  const char *bad_users[] = { "", "a:b", "#a", " a", "a\n", "a\tb\x01" };
  const char *bad_realms[] = { "", " r", "r\n" };

  g_assert_true (sws_users_file_check_names ("alice", "example.com:5060", NULL));
  g_assert_true (sws_users_file_check_names ("al ice", "My Realm", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_users); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sws_users_file_check_names (bad_users[i], "r", &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_realms); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sws_users_file_check_names ("u", bad_realms[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_set_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *md5 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, "alice", "r", "pw");
  g_autofree char *sha = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_SHA256, "alice", "r", "pw");
  g_autofree char *pair = g_strdup_printf ("alice:r:MD5:%s\nalice:r:SHA-256:%s\n", md5, sha);
  g_autofree char *created = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *appended = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(SwsUsersFile) users = NULL;

  /* a new file */
  created = sws_users_file_set_password ("", "users", "alice", "r", "pw", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created, ==, pair);
  users = parse (created, &error);
  g_assert_cmpstr (sws_users_file_lookup (users, "alice", "r", SWS_DIGEST_ALGORITHM_SHA256), ==, sha);

  /* replaced where the first old line was; comments, other users and
   * other realms kept as they were */
  replaced = sws_users_file_set_password ("# users\n"
                                          "bob:r:MD5:" MD5_A "\n"
                                          "alice:r:MD5:" MD5_A "\n"
                                          "  # keep me\n"
                                          "alice:other:MD5:" MD5_A "\n"
                                          "alice:r:SHA-256:" SHA_A,
                                          "users", "alice", "r", "pw", &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("# users\nbob:r:MD5:" MD5_A "\n%s  # keep me\n"
                              "alice:other:MD5:" MD5_A "\n", pair);
  g_assert_cmpstr (replaced, ==, expected);

  /* a new user goes at the end */
  appended = sws_users_file_set_password ("bob:r:MD5:" MD5_A, "users", "alice", "r", "pw",
                                          &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (appended, "bob:r:MD5:" MD5_A "\nalice:r:MD5:"));

  /* a broken file is not rewritten */
  refused = sws_users_file_set_password ("bob:r:MD5:zz\n", "users", "alice", "r", "pw", &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  refused = sws_users_file_set_password ("", "users", "a:b", "r", "pw", &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/users-file/parse", test_parse);
  g_test_add_func ("/sws/users-file/errors", test_errors);
  g_test_add_func ("/sws/users-file/names", test_names);
  g_test_add_func ("/sws/users-file/set-password", test_set_password);

  return g_test_run ();
}
