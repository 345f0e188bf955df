/* sws-sip-digest.c: Digest authentication for SIP (RFC 3261 §22.4)
 *
 * SIP took HTTP Digest as it was in RFC 2617; RFC 8760 brought the
 * algorithms of RFC 7616 (SHA-256) to SIP. Both shapes of a header value,
 * credentials and challenges, are "Digest" followed by a comma-separated
 * list of auth-params, so one parser reads both and copies the values it
 * knows, unquoted, into a single buffer.
 */

#include "sws-sip-digest.h"
#include "sws-sip-header.h"
#include "sws-sip-private.h"

#include <string.h>

/* ---- algorithms ---- */

const char *
sws_digest_algorithm_to_string (SwsDigestAlgorithm algorithm)
{
  switch (algorithm)
    {
    case SWS_DIGEST_ALGORITHM_MD5:
      return "MD5";
    case SWS_DIGEST_ALGORITHM_SHA256:
      return "SHA-256";
    case SWS_DIGEST_ALGORITHM_UNKNOWN:
    default:
      return NULL;
    }
}

SwsDigestAlgorithm
sws_digest_algorithm_from_string (SwsStr name)
{
  /* RFC 7616 §3.3: names are case-insensitive. */
  if (sws_str_is (name, "MD5"))
    return SWS_DIGEST_ALGORITHM_MD5;
  if (sws_str_is (name, "SHA-256"))
    return SWS_DIGEST_ALGORITHM_SHA256;
  return SWS_DIGEST_ALGORITHM_UNKNOWN;
}

gsize
sws_digest_hex_len (SwsDigestAlgorithm algorithm)
{
  switch (algorithm)
    {
    case SWS_DIGEST_ALGORITHM_MD5:
      return 32;
    case SWS_DIGEST_ALGORITHM_SHA256:
      return 64;
    case SWS_DIGEST_ALGORITHM_UNKNOWN:
    default:
      return 0;
    }
}

gboolean
sws_digest_is_hex (const char *text,
                   gsize       len)
{
  gsize i;

  for (i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return text[i] == '\0';
}

/* ---- parsing ---- */

typedef struct {
  const char *name;
  const char **slot;
} Field;

static gboolean
fail (GError     **error,
      const char  *what,
      const char  *detail)
{
  /* The reason phrase of a 400: static text only, never client input. */
  g_set_error (error, SWS_SIP_ERROR, 400, "Malformed Digest %s (%s)", what, detail);
  return FALSE;
}

gboolean
sws_digest_is_digest_scheme (SwsStr value)
{
  const char *end = value.p + value.len;
  const char *p = sws_skip_lws (value.p, end);
  const char *t = sws_skip_class (p, end, SWS_CC_TOKEN);

  return sws_str_is (sws_str_range (p, t), "Digest") && (t == end || sws_is_lws (*t));
}

/* Copy the value at `p` (a quoted-string, unescaped, or a token) to `*w`,
 * NUL-terminated; returns the position after it, NULL when malformed. */
static const char *
copy_value (const char  *p,
            const char  *end,
            char       **w)
{
  const char *q;

  if (p < end && *p == '"')
    {
      q = sws_sip_scan_quoted (p, end);
      if (q == NULL)
        return NULL;
      for (p++; p < q - 1; p++)
        {
          if (*p == '\\')
            p++;
          *(*w)++ = *p;
        }
    }
  else
    {
      q = sws_skip_class (p, end, SWS_CC_TOKEN);
      if (q == p)
        return NULL;
      memcpy (*w, p, (gsize) (q - p));
      *w += q - p;
    }
  *(*w)++ = '\0';
  return q;
}

/* "Digest" LWS auth-param *("," auth-param). Known parameters are copied
 * into a new buffer (*out_buf) and their slots pointed at the copies. A
 * stored value is never longer than the raw "name=value" it came from and
 * each name is stored once, so value.len + 1 octets always suffice. */
static gboolean
parse_params (SwsStr        value,
              const char   *what,
              const Field  *fields,
              guint         n_fields,
              char        **out_buf,
              GError      **error)
{
  const char *end = value.p + value.len;
  const char *p = sws_skip_lws (value.p, end);
  const char *t = sws_skip_class (p, end, SWS_CC_TOKEN);
  g_autofree char *buf = NULL;
  char *w;

  if (!sws_str_is (sws_str_range (p, t), "Digest"))
    return fail (error, what, "not the Digest scheme");
  if (t == end || !sws_is_lws (*t))
    return fail (error, what, "no parameters");

  w = buf = g_malloc (value.len + 1);
  p = t;
  for (;;)
    {
      const char *name, *name_end;
      const char **slot = NULL;
      char *start;

      /* Empty list elements are allowed (RFC 7230 §7). */
      while (p < end && (sws_is_lws (*p) || *p == ','))
        p++;
      if (p == end)
        break;

      name = p;
      name_end = sws_skip_class (p, end, SWS_CC_TOKEN);
      if (name_end == name)
        return fail (error, what, "bad parameter name");
      p = sws_skip_lws (name_end, end);
      if (p == end || *p != '=')
        return fail (error, what, "parameter without value");
      p = sws_skip_lws (p + 1, end);

      for (guint i = 0; i < n_fields; i++)
        if (sws_str_is (sws_str_range (name, name_end), fields[i].name))
          slot = fields[i].slot;
      if (slot != NULL && *slot != NULL)
        return fail (error, what, "parameter given twice");

      start = w;
      p = copy_value (p, end, &w);
      if (p == NULL)
        return fail (error, what, "bad parameter value");
      if (slot != NULL)
        *slot = start;
      else
        w = start;  /* unknown parameters are not kept */

      p = sws_skip_lws (p, end);
      if (p < end && *p != ',')
        return fail (error, what, "missing comma");
    }

  *out_buf = g_steal_pointer (&buf);
  return TRUE;
}

void
sws_digest_credentials_clear (SwsDigestCredentials *creds)
{
  g_free (creds->buf);
  memset (creds, 0, sizeof *creds);
}

/* The rules between parameters, once they are parsed. */
static gboolean
check_credentials (SwsDigestCredentials  *c,
                   GError               **error)
{
  const char *what = "credentials";
  gsize hex_len;

  if (c->username == NULL)
    return fail (error, what, "no username");
  if (c->realm == NULL)
    return fail (error, what, "no realm");
  if (c->nonce == NULL)
    return fail (error, what, "no nonce");
  if (c->uri == NULL)
    return fail (error, what, "no uri");
  if (c->response == NULL)
    return fail (error, what, "no response");

  /* RFC 2617 §3.2.2: no algorithm means MD5. */
  c->algorithm = c->algorithm_name == NULL
                   ? SWS_DIGEST_ALGORITHM_MD5
                   : sws_digest_algorithm_from_string (sws_str_c (c->algorithm_name));

  if (c->qop_name == NULL)
    {
      /* RFC 2617 §3.2.2: cnonce and nc go with qop, and only with it. */
      if (c->cnonce != NULL || c->nc_text != NULL)
        return fail (error, what, "cnonce or nc without qop");
      c->qop = SWS_DIGEST_QOP_NONE;
    }
  else
    {
      guint64 nc;

      c->qop = sws_str_is (sws_str_c (c->qop_name), "auth") ? SWS_DIGEST_QOP_AUTH
                                                          : SWS_DIGEST_QOP_OTHER;
      if (c->cnonce == NULL || c->nc_text == NULL)
        return fail (error, what, "qop without cnonce or nc");
      /* nc-value = 8LHEX (RFC 2617 §3.2.2) */
      if (!sws_digest_is_hex (c->nc_text, 8) ||
          !g_ascii_string_to_unsigned (c->nc_text, 16, 0, G_MAXUINT32, &nc, NULL))
        return fail (error, what, "nc is not 8 hex digits");
      c->nc = (guint32) nc;
    }

  hex_len = sws_digest_hex_len (c->algorithm);
  if (hex_len != 0 && !sws_digest_is_hex (c->response, hex_len))
    return fail (error, what, "response is not a hash");
  return TRUE;
}

gboolean
sws_digest_credentials_parse (SwsStr                 value,
                              SwsDigestCredentials  *c,
                              GError               **error)
{
  const Field fields[] = {
    { "username", &c->username },
    { "realm", &c->realm },
    { "nonce", &c->nonce },
    { "uri", &c->uri },
    { "response", &c->response },
    { "algorithm", &c->algorithm_name },
    { "cnonce", &c->cnonce },
    { "opaque", &c->opaque },
    { "qop", &c->qop_name },
    { "nc", &c->nc_text },
  };

  memset (c, 0, sizeof *c);
  if (!parse_params (value, "credentials", fields, G_N_ELEMENTS (fields), &c->buf, error) ||
      !check_credentials (c, error))
    {
      sws_digest_credentials_clear (c);
      return FALSE;
    }
  return TRUE;
}

gboolean
sws_digest_credentials_supported (const SwsDigestCredentials *creds)
{
  switch (creds->qop)
    {
    case SWS_DIGEST_QOP_AUTH:
      return creds->algorithm != SWS_DIGEST_ALGORITHM_UNKNOWN;
    case SWS_DIGEST_QOP_NONE:
      /* RFC 7616 requires qop; only the old MD5 clients may omit it. */
      return creds->algorithm == SWS_DIGEST_ALGORITHM_MD5;
    case SWS_DIGEST_QOP_OTHER:
    default:
      return FALSE;
    }
}

void
sws_digest_challenge_clear (SwsDigestChallenge *challenge)
{
  g_free (challenge->buf);
  memset (challenge, 0, sizeof *challenge);
}

gboolean
sws_digest_challenge_parse (SwsStr               value,
                            SwsDigestChallenge  *ch,
                            GError             **error)
{
  const char *what = "challenge";
  const char *stale = NULL;
  const Field fields[] = {
    { "realm", &ch->realm },
    { "nonce", &ch->nonce },
    { "opaque", &ch->opaque },
    { "algorithm", &ch->algorithm_name },
    { "qop", &ch->qop_options },
    { "stale", &stale },
  };

  memset (ch, 0, sizeof *ch);
  if (!parse_params (value, what, fields, G_N_ELEMENTS (fields), &ch->buf, error))
    {
      sws_digest_challenge_clear (ch);
      return FALSE;
    }
  if (ch->realm == NULL || ch->nonce == NULL)
    {
      fail (error, what, ch->realm == NULL ? "no realm" : "no nonce");
      sws_digest_challenge_clear (ch);
      return FALSE;
    }

  ch->algorithm = ch->algorithm_name == NULL
                    ? SWS_DIGEST_ALGORITHM_MD5
                    : sws_digest_algorithm_from_string (sws_str_c (ch->algorithm_name));
  ch->stale = stale != NULL && g_ascii_strcasecmp (stale, "true") == 0;
  if (ch->qop_options != NULL)
    {
      /* qop-options is a quoted, comma-separated list of tokens. */
      SwsListIter iter;
      SwsStr option;

      sws_list_iter_init (&iter, sws_str_c (ch->qop_options));
      while (sws_list_iter_next (&iter, &option))
        if (sws_str_is (option, "auth"))
          ch->offers_auth = TRUE;
    }
  return TRUE;
}

/* ---- hashing ---- */

static GChecksumType
checksum_type (SwsDigestAlgorithm algorithm)
{
  return algorithm == SWS_DIGEST_ALGORITHM_SHA256 ? G_CHECKSUM_SHA256 : G_CHECKSUM_MD5;
}

/* H(a ":" b ":" …) in lowercase hex; the list ends with NULL. */
static char *
hash_joined (SwsDigestAlgorithm  algorithm,
             const char         *first,
             ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (checksum_type (algorithm));
  va_list args;

  va_start (args, first);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    {
      if (part != first)
        g_checksum_update (checksum, (const guchar *) ":", 1);
      g_checksum_update (checksum, (const guchar *) part, (gssize) strlen (part));
    }
  va_end (args);
  return g_strdup (g_checksum_get_string (checksum));
}

char *
sws_digest_ha1 (SwsDigestAlgorithm  algorithm,
                const char         *username,
                const char         *realm,
                const char         *password)
{
  if (algorithm == SWS_DIGEST_ALGORITHM_UNKNOWN)
    return NULL;
  return hash_joined (algorithm, username, realm, password, NULL);
}

char *
sws_digest_response (SwsDigestAlgorithm  algorithm,
                     const char         *ha1,
                     const char         *nonce,
                     const char         *nc_text,
                     const char         *cnonce,
                     const char         *qop,
                     const char         *method,
                     const char         *uri)
{
  g_autofree char *ha2 = NULL;

  if (algorithm == SWS_DIGEST_ALGORITHM_UNKNOWN)
    return NULL;
  ha2 = hash_joined (algorithm, method, uri, NULL);
  if (qop == NULL)
    return hash_joined (algorithm, ha1, nonce, ha2, NULL);
  return hash_joined (algorithm, ha1, nonce, nc_text, cnonce, qop, ha2, NULL);
}

gboolean
sws_digest_hex_equal (const char *a,
                      const char *b,
                      gsize       len)
{
  guint diff = 0;

  /* Setting bit 5 lowercases A-F and leaves digits as they are. */
  for (gsize i = 0; i < len; i++)
    diff |= ((guchar) a[i] | 0x20u) ^ ((guchar) b[i] | 0x20u);
  return diff == 0;
}

gboolean
sws_digest_verify (const SwsDigestCredentials *creds,
                   const char                 *ha1,
                   const char                 *method)
{
  gsize len = sws_digest_hex_len (creds->algorithm);
  g_autofree char *expected = NULL;

  if (!sws_digest_credentials_supported (creds) ||
      !sws_digest_is_hex (ha1, len) || !sws_digest_is_hex (creds->response, len))
    return FALSE;
  expected = sws_digest_response (creds->algorithm, ha1, creds->nonce, creds->nc_text,
                                  creds->cnonce,
                                  creds->qop == SWS_DIGEST_QOP_AUTH ? creds->qop_name : NULL,
                                  method, creds->uri);
  return sws_digest_hex_equal (expected, creds->response, len);
}

/* ---- nonces ---- */

#define NONCE_RAW_LEN (SWS_DIGEST_NONCE_LEN / 2)
#define NONCE_MAC_OFFSET 16

static void
nonce_mac (const guint8  secret[SWS_DIGEST_SECRET_LEN],
           const char   *realm,
           const guint8  head[NONCE_MAC_OFFSET],
           guint8        mac[NONCE_RAW_LEN - NONCE_MAC_OFFSET])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, SWS_DIGEST_SECRET_LEN);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, head, NONCE_MAC_OFFSET);
  g_hmac_update (hmac, (const guchar *) realm, (gssize) strlen (realm));
  g_hmac_get_digest (hmac, digest, &len);
  memcpy (mac, digest, NONCE_RAW_LEN - NONCE_MAC_OFFSET);
}

void
sws_digest_nonce_make (const guint8  secret[SWS_DIGEST_SECRET_LEN],
                       const char   *realm,
                       gint64        expires,
                       guint64       unique,
                       char          out[SWS_DIGEST_NONCE_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint8 raw[NONCE_RAW_LEN];

  for (guint i = 0; i < 8; i++)
    {
      raw[i] = (guint8) ((guint64) expires >> (56 - 8 * i));
      raw[8 + i] = (guint8) (unique >> (56 - 8 * i));
    }
  nonce_mac (secret, realm, raw, raw + NONCE_MAC_OFFSET);
  for (guint i = 0; i < NONCE_RAW_LEN; i++)
    {
      out[2 * i] = hex[raw[i] >> 4];
      out[2 * i + 1] = hex[raw[i] & 0xf];
    }
  out[SWS_DIGEST_NONCE_LEN] = '\0';
}

SwsDigestNonceStatus
sws_digest_nonce_check (const guint8  secret[SWS_DIGEST_SECRET_LEN],
                        const char   *realm,
                        const char   *nonce,
                        gint64        now,
                        gint64       *expires)
{
  guint8 raw[NONCE_RAW_LEN];
  guint8 mac[NONCE_RAW_LEN - NONCE_MAC_OFFSET];
  guint diff = 0;
  guint64 when = 0;

  if (!sws_digest_is_hex (nonce, SWS_DIGEST_NONCE_LEN))
    return SWS_DIGEST_NONCE_INVALID;
  for (guint i = 0; i < NONCE_RAW_LEN; i++)
    raw[i] = (guint8) (g_ascii_xdigit_value (nonce[2 * i]) << 4 |
                       g_ascii_xdigit_value (nonce[2 * i + 1]));
  nonce_mac (secret, realm, raw, mac);
  for (guint i = 0; i < sizeof mac; i++)
    diff |= mac[i] ^ raw[NONCE_MAC_OFFSET + i];
  if (diff != 0)
    return SWS_DIGEST_NONCE_INVALID;

  for (guint i = 0; i < 8; i++)
    when = when << 8 | raw[i];
  if (expires != NULL)
    *expires = (gint64) when;
  return now >= (gint64) when ? SWS_DIGEST_NONCE_STALE : SWS_DIGEST_NONCE_VALID;
}

/* ---- header values ---- */

void
sws_digest_append_quoted (GString    *s,
                          const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

void
sws_digest_append_challenge (GString            *s,
                             const char         *header_name,
                             SwsDigestAlgorithm  algorithm,
                             const char         *realm,
                             const char         *nonce,
                             const char         *opaque,
                             gboolean            stale)
{
  g_return_if_fail (algorithm != SWS_DIGEST_ALGORITHM_UNKNOWN);

  g_string_append_printf (s, "%s: Digest realm=", header_name);
  sws_digest_append_quoted (s, realm);
  g_string_append (s, ", nonce=");
  sws_digest_append_quoted (s, nonce);
  g_string_append_printf (s, ", algorithm=%s, qop=\"auth\"",
                          sws_digest_algorithm_to_string (algorithm));
  if (opaque != NULL)
    {
      g_string_append (s, ", opaque=");
      sws_digest_append_quoted (s, opaque);
    }
  if (stale)
    g_string_append (s, ", stale=true");
  g_string_append (s, "\r\n");
}

char *
sws_digest_authorization_new (const SwsDigestChallenge *challenge,
                              const char               *username,
                              const char               *password,
                              const char               *method,
                              const char               *uri,
                              const char               *cnonce,
                              guint32                   nc)
{
  SwsDigestAlgorithm algorithm = challenge->algorithm;
  g_autofree char *ha1 = NULL;
  g_autofree char *response = NULL;
  char nc_text[9];
  GString *s;

  g_return_val_if_fail (algorithm != SWS_DIGEST_ALGORITHM_UNKNOWN, NULL);

  g_snprintf (nc_text, sizeof nc_text, "%08x", nc);
  ha1 = sws_digest_ha1 (algorithm, username, challenge->realm, password);
  response = sws_digest_response (algorithm, ha1, challenge->nonce, nc_text, cnonce,
                                  challenge->offers_auth ? "auth" : NULL, method, uri);

  s = g_string_new ("Digest username=");
  sws_digest_append_quoted (s, username);
  g_string_append (s, ", realm=");
  sws_digest_append_quoted (s, challenge->realm);
  g_string_append (s, ", nonce=");
  sws_digest_append_quoted (s, challenge->nonce);
  g_string_append (s, ", uri=");
  sws_digest_append_quoted (s, uri);
  g_string_append_printf (s, ", response=\"%s\", algorithm=%s", response,
                          sws_digest_algorithm_to_string (algorithm));
  if (challenge->offers_auth)
    {
      g_string_append (s, ", cnonce=");
      sws_digest_append_quoted (s, cnonce);
      g_string_append_printf (s, ", qop=auth, nc=%s", nc_text);
    }
  if (challenge->opaque != NULL)
    {
      g_string_append (s, ", opaque=");
      sws_digest_append_quoted (s, challenge->opaque);
    }
  return g_string_free (s, FALSE);
}
