/* sws-sip-digest.h: Digest authentication for SIP (RFC 3261 §22.4)
 *
 * The protocol side of authentication, with no I/O and no clock: parsing
 * credentials (Authorization, Proxy-Authorization) and challenges
 * (WWW-Authenticate, Proxy-Authenticate), computing HA1, HA2 and the
 * response with MD5 or SHA-256 (RFC 2617 §3.2.2, RFC 7616 §3.4.1, RFC 8760),
 * stateless nonces that the server can check without remembering them, and
 * the challenge header lines. Time, secrets and randomness come from the
 * caller.
 */
#pragma once

#include "sws-sip-types.h"

G_BEGIN_DECLS

typedef enum {
  SWS_DIGEST_ALGORITHM_UNKNOWN = 0,   /* any other name (MD5-sess, SHA-512-256, …): refused and challenged again */
  SWS_DIGEST_ALGORITHM_MD5,
  SWS_DIGEST_ALGORITHM_SHA256,
} SwsDigestAlgorithm;

typedef enum {
  SWS_DIGEST_QOP_NONE = 0,   /* RFC 2069 compatibility: no qop, no cnonce, no nc */
  SWS_DIGEST_QOP_AUTH,
  SWS_DIGEST_QOP_OTHER,      /* auth-int or anything else: never offered here */
} SwsDigestQop;

/* "MD5", "SHA-256"; NULL for UNKNOWN. */
const char         *sws_digest_algorithm_to_string   (SwsDigestAlgorithm algorithm);
/* Case-insensitive; UNKNOWN for anything else. */
SwsDigestAlgorithm  sws_digest_algorithm_from_string (SwsStr name);
/* Hex digits of a hash: 32 for MD5, 64 for SHA-256, 0 for UNKNOWN. */
gsize               sws_digest_hex_len               (SwsDigestAlgorithm algorithm);
/* A string of exactly `len` hexadecimal digits (either case)? */
gboolean            sws_digest_is_hex                (const char *text,
                                                      gsize       len);

/* Credentials as a client sent them. Every string is unquoted and
 * unescaped (quoted-pair, RFC 3261 §25.1), NUL-terminated and owned by the
 * struct (one allocation); absent parameters are NULL. */
typedef struct {
  /*< private >*/
  char *buf;

  /*< public, read-only >*/
  const char *username;
  const char *realm;
  const char *nonce;
  const char *uri;
  const char *response;
  const char *algorithm_name;   /* NULL: MD5 (RFC 2617 §3.2.2) */
  const char *cnonce;
  const char *opaque;
  const char *qop_name;
  const char *nc_text;          /* 8 hex digits as sent */

  SwsDigestAlgorithm algorithm;
  SwsDigestQop qop;
  guint32 nc;                   /* 0 when absent */
} SwsDigestCredentials;

/* Does this header value use the Digest scheme (case-insensitive)? Values
 * of other schemes (Basic, Bearer …) are not ours to judge. */
gboolean sws_digest_is_digest_scheme (SwsStr value);

/* Parse one Authorization or Proxy-Authorization value (RFC 3261 §25.1
 * credentials, RFC 7616 §3.4): "Digest" then comma-separated
 * name=value pairs, in any order, token or quoted-string values, LWS
 * around '=' and ',' allowed, unknown parameters ignored.
 *
 * Errors (SWS_SIP_ERROR 400, reason phrase saying what is wrong): another
 * scheme, a parameter without '=' or value, an unterminated quoted string,
 * a parameter given twice, a missing username/realm/nonce/uri/response,
 * qop without cnonce or nc (or cnonce/nc without qop), nc not 8 hex
 * digits, a response that is not hex of the algorithm's length. An
 * unknown algorithm or qop is not an error: the caller answers with a
 * fresh challenge. On error the struct is cleared. */
gboolean sws_digest_credentials_parse (SwsStr                 value,
                                       SwsDigestCredentials  *creds,
                                       GError               **error);
void     sws_digest_credentials_clear (SwsDigestCredentials  *creds);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SwsDigestCredentials, sws_digest_credentials_clear)

/* Whether the server can check these credentials: MD5 or SHA-256 with
 * qop=auth, or MD5 without qop (RFC 2069 compatibility). */
gboolean sws_digest_credentials_supported (const SwsDigestCredentials *creds);

/* A challenge as a server sent it (RFC 7616 §3.3), for clients and tests. */
typedef struct {
  /*< private >*/
  char *buf;

  /*< public, read-only >*/
  const char *realm;
  const char *nonce;
  const char *opaque;
  const char *algorithm_name;
  const char *qop_options;      /* e.g. "auth,auth-int" as sent */
  SwsDigestAlgorithm algorithm;
  gboolean offers_auth;         /* qop-options list "auth" */
  gboolean stale;
} SwsDigestChallenge;

/* Parse one WWW-Authenticate or Proxy-Authenticate value. Errors as for
 * credentials; realm and nonce are required. */
gboolean sws_digest_challenge_parse (SwsStr               value,
                                     SwsDigestChallenge  *challenge,
                                     GError             **error);
void     sws_digest_challenge_clear (SwsDigestChallenge  *challenge);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SwsDigestChallenge, sws_digest_challenge_clear)

/* ---- hashing ---- */

/* HA1 = H(username ":" realm ":" password), lowercase hex (RFC 7616
 * §3.4.2). NULL for UNKNOWN. */
char     *sws_digest_ha1      (SwsDigestAlgorithm  algorithm,
                               const char         *username,
                               const char         *realm,
                               const char         *password);

/* The response a client computes (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1):
 * with qop "auth", H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2);
 * with qop NULL, H(HA1 ":" nonce ":" HA2); HA2 = H(method ":" uri).
 * Lowercase hex; NULL for UNKNOWN. */
char     *sws_digest_response (SwsDigestAlgorithm  algorithm,
                               const char         *ha1,
                               const char         *nonce,
                               const char         *nc_text,
                               const char         *cnonce,
                               const char         *qop,
                               const char         *method,
                               const char         *uri);

/* Do the credentials carry the right response for `method`, given the
 * user's HA1 (hex) for their algorithm? The comparison takes the same time
 * wherever the first difference is. FALSE when unsupported. */
gboolean  sws_digest_verify   (const SwsDigestCredentials *creds,
                               const char                 *ha1,
                               const char                 *method);

/* Compare two strings of `len` hex digits, case-insensitively, in time
 * that depends only on `len`. */
gboolean  sws_digest_hex_equal (const char *a,
                                const char *b,
                                gsize       len);

/* ---- stateless nonces ---- */

#define SWS_DIGEST_SECRET_LEN 32
/* 8 octets of expiry time, 8 unique octets, 16 octets of MAC, in hex */
#define SWS_DIGEST_NONCE_LEN  64

typedef enum {
  SWS_DIGEST_NONCE_VALID,
  SWS_DIGEST_NONCE_STALE,     /* ours, but its lifetime is over */
  SWS_DIGEST_NONCE_INVALID,   /* not made with this secret and realm */
} SwsDigestNonceStatus;

/* A nonce that is valid until `expires` (seconds, any epoch the caller
 * keeps to) for `realm`: expires || unique || HMAC-SHA256(secret,
 * expires || unique || realm) truncated to 128 bits, as lowercase hex.
 * `unique` makes two nonces of the same second differ, so that their nc
 * counts never mix. */
void                 sws_digest_nonce_make  (const guint8  secret[SWS_DIGEST_SECRET_LEN],
                                             const char   *realm,
                                             gint64        expires,
                                             guint64       unique,
                                             char          out[SWS_DIGEST_NONCE_LEN + 1]);

/* Check a nonce against the secret and realm at time `now`; *expires (may
 * be NULL) gets its expiry time when it is ours. */
SwsDigestNonceStatus sws_digest_nonce_check (const guint8  secret[SWS_DIGEST_SECRET_LEN],
                                             const char   *realm,
                                             const char   *nonce,
                                             gint64        now,
                                             gint64       *expires);

/* ---- header values ---- */

/* Append one challenge header line:
 * "NAME: Digest realm="…", nonce="…", algorithm=ALG, qop="auth"
 * [, opaque="…"][, stale=true]\r\n" (RFC 7616 §3.3, RFC 8760 §2.4: one
 * line per algorithm, the preferred one first). */
void      sws_digest_append_challenge (GString            *s,
                                       const char         *header_name,
                                       SwsDigestAlgorithm  algorithm,
                                       const char         *realm,
                                       const char         *nonce,
                                       const char         *opaque,
                                       gboolean            stale);

/* Append `text` as a quoted-string, escaping '"' and '\'. */
void      sws_digest_append_quoted    (GString            *s,
                                       const char         *text);

/* The credentials a client sends in answer to `challenge` (qop=auth when
 * offered, else the RFC 2069 form): "Digest username=…, response=…". */
char     *sws_digest_authorization_new (const SwsDigestChallenge *challenge,
                                        const char               *username,
                                        const char               *password,
                                        const char               *method,
                                        const char               *uri,
                                        const char               *cnonce,
                                        guint32                   nc);

G_END_DECLS
