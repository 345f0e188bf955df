/* sws-users-file.h: the users file of Digest authentication
 *
 * One line per user, realm and algorithm:
 *
 *   USER:REALM:ALGORITHM:HA1
 *
 * ALGORITHM is MD5 or SHA-256 and HA1 the hex hash of "USER:REALM:PASSWORD"
 * with it (RFC 7616 §3.4.2), so that the file never holds a password.
 * USER has no ':'; REALM may have some (the last two fields are split off
 * first). Blank lines and lines starting with '#' are ignored. The daemon
 * reads it, `sipwsctl passwd` writes it.
 */
#pragma once

#include <gio/gio.h>

#include "sip/sws-sip-digest.h"

G_BEGIN_DECLS

typedef struct _SwsUsersFile SwsUsersFile;

/* Parse the text of a users file; errors name `name` and the line:
 * "NAME:LINE: what is wrong". */
SwsUsersFile *sws_users_file_parse    (const char    *text,
                                       gsize          len,
                                       const char    *name,
                                       GError       **error);
SwsUsersFile *sws_users_file_load     (const char    *path,
                                       GError       **error);
void          sws_users_file_free     (SwsUsersFile  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsUsersFile, sws_users_file_free)

/* The user's HA1 (lowercase hex) for this realm and algorithm, or NULL. */
const char   *sws_users_file_lookup   (SwsUsersFile       *self,
                                       const char         *username,
                                       const char         *realm,
                                       SwsDigestAlgorithm  algorithm);
/* How many users have at least one line for `realm`. */
guint         sws_users_file_count    (SwsUsersFile  *self,
                                       const char    *realm);

/* Can this user name and realm go into the file? (no ':' in the name, no
 * control characters or surrounding blanks in either). */
gboolean      sws_users_file_check_names (const char  *username,
                                          const char  *realm,
                                          GError     **error);

/* The text of a users file with the password of `username` in `realm`
 * set: its lines (every algorithm) replaced by one MD5 and one SHA-256
 * line where the first of them was, or added at the end. Every other
 * line, comments included, stays as it was. Fails when `text` is not a
 * valid users file. */
char         *sws_users_file_set_password (const char  *text,
                                           const char  *name,
                                           const char  *username,
                                           const char  *realm,
                                           const char  *password,
                                           GError     **error);

G_END_DECLS
