/* sws-config.c: daemon settings from GKeyFile and the command line
 *
 * Zero configuration is the norm: every setting has a default that makes a
 * loopback desktop server. A config file only changes what it names.
 */

#define G_LOG_DOMAIN "sws-config"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sip/sws-sip-digest.h"
#include "sws-config.h"

struct _SwsConfig
{
  GObject parent_instance;

  char *path;
  GStrv listen;
  GStrv domains;
  GHashTable *domain_set;   /* lowercase host -> itself, NULL = every domain */
  gboolean allow_unauthenticated;
  gboolean has_auth;
  guint keepalive_interval;
  guint handshake_timeout;
  guint max_connections;
  guint max_connections_per_ip;
  GStrv allowed_origins;       /* NULL: the default policy */
  char *tls_certificate;
  char *tls_key;
  guint rate_limit;
  guint rate_limit_burst;
  gboolean rate_limit_loopback;
  guint default_expires;
  guint min_expires;
  guint max_expires;
  guint max_contacts;
  guint invite_timeout;
  guint call_linger;
  char *log_level;
  char *http_token;
  char *http_metrics_token;
  gboolean http_public_metrics;
  gboolean http_trust_loopback;
  char *users_file;         /* [auth]; NULL without */
  char *realm;              /* NULL: the default */
  guint nonce_lifetime;
  SwsDigestAlgorithm algorithms[SWS_DIGEST_ALGORITHM_SHA256 + 1];   /* 0-terminated */
};

G_DEFINE_FINAL_TYPE (SwsConfig, sws_config, G_TYPE_OBJECT)

/* Keys the daemon understands, to warn about typos in a config file. */
static const char *const server_keys[] = {
  "listen", "domains", "allow-unauthenticated", "keepalive-interval", "handshake-timeout",
  "max-connections", "max-connections-per-ip", "log-level", "allowed-origins",
  "rate-limit", "rate-limit-burst", "rate-limit-loopback", "tls-certificate", "tls-key", NULL
};
static const char *const registrar_keys[] = {
  "default-expires", "min-expires", "max-expires", "max-contacts", NULL
};
static const char *const proxy_keys[] = {
  "invite-timeout", "call-linger", NULL
};
static const char *const http_keys[] = {
  "token", "metrics-token", "public-metrics", "trust-loopback", NULL
};
static const char *const auth_keys[] = {
  "users-file", "realm", "nonce-lifetime", "algorithms", NULL
};

static void
sws_config_finalize (GObject *object)
{
  SwsConfig *self = SWS_CONFIG (object);

  g_free (self->path);
  g_strfreev (self->listen);
  g_strfreev (self->domains);
  g_clear_pointer (&self->domain_set, g_hash_table_unref);
  g_strfreev (self->allowed_origins);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_free (self->log_level);
  g_free (self->http_token);
  g_free (self->http_metrics_token);
  g_free (self->users_file);
  g_free (self->realm);

  G_OBJECT_CLASS (sws_config_parent_class)->finalize (object);
}

static void
sws_config_class_init (SwsConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sws_config_finalize;
}

static void
set_defaults (SwsConfig *self)
{
  const char *listen[] = { SWS_DEFAULT_LISTEN, NULL };

  g_clear_pointer (&self->path, g_free);
  g_strfreev (self->listen);
  self->listen = g_strdupv ((char **) listen);
  g_clear_pointer (&self->domains, g_strfreev);
  self->domains = g_new0 (char *, 1);
  g_clear_pointer (&self->domain_set, g_hash_table_unref);
  self->allow_unauthenticated = FALSE;
  self->has_auth = FALSE;
  self->keepalive_interval = 30;
  self->handshake_timeout = 10;
  self->max_connections = 100000;
  self->max_connections_per_ip = 0;
  g_clear_pointer (&self->allowed_origins, g_strfreev);
  g_clear_pointer (&self->tls_certificate, g_free);
  g_clear_pointer (&self->tls_key, g_free);
  self->rate_limit = 50;
  self->rate_limit_burst = 100;
  self->rate_limit_loopback = FALSE;
  self->default_expires = 600;
  self->min_expires = 60;
  self->max_expires = 3600;
  self->max_contacts = 16;
  self->invite_timeout = 181;
  self->call_linger = 30;
  g_free (self->log_level);
  self->log_level = g_strdup ("message");
  g_clear_pointer (&self->http_token, g_free);
  g_clear_pointer (&self->http_metrics_token, g_free);
  self->http_public_metrics = FALSE;
  self->http_trust_loopback = TRUE;
  g_clear_pointer (&self->users_file, g_free);
  g_clear_pointer (&self->realm, g_free);
  self->nonce_lifetime = 300;
  /* RFC 8760 §2.4: the strongest first. MD5 comes last, which is also
   * what JsSIP needs: it keeps only the last challenge header and
   * computes MD5 only (tests/e2e checks a JsSIP registration). */
  self->algorithms[0] = SWS_DIGEST_ALGORITHM_SHA256;
  self->algorithms[1] = SWS_DIGEST_ALGORITHM_MD5;
  self->algorithms[2] = SWS_DIGEST_ALGORITHM_UNKNOWN;
}

static void
sws_config_init (SwsConfig *self)
{
  set_defaults (self);
}

SwsConfig *
sws_config_new (void)
{
  return g_object_new (SWS_TYPE_CONFIG, NULL);
}

static char *
find_default_path (void)
{
  g_autofree char *user = g_build_filename (g_get_user_config_dir (), "sipws", "sipwsd.conf", NULL);
  g_autofree char *system = g_build_filename (SYSCONFDIR, "sipws", "sipwsd.conf", NULL);

  if (g_file_test (user, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&user);
  if (g_file_test (system, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&system);
  return NULL;
}

static gboolean
read_uint (GKeyFile    *kf,
           const char  *group,
           const char  *key,
           guint        min,
           guint        max,
           guint       *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint64 value;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;

  text = g_key_file_get_string (kf, group, key, &local_error);
  if (text == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("[%s] %s=%s: expected a whole number from %u to %u"),
                   group, key, text, min, max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_bool (GKeyFile    *kf,
           const char  *group,
           const char  *key,
           gboolean    *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;
  value = g_key_file_get_boolean (kf, group, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("[%s] %s must be true or false"), group, key);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* An access token of [http]: printable ASCII without spaces, so that it
 * survives an Authorization header and a URL query unchanged, and long
 * enough not to be guessed. Empty means none. */
static gboolean
read_token (GKeyFile    *kf,
            const char  *key,
            char       **out,
            GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_key_file_has_key (kf, "http", key, NULL))
    return TRUE;
  text = g_strstrip (g_key_file_get_string (kf, "http", key, NULL));
  if (text == NULL || *text == '\0')
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~+/=", *p) == NULL)
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     _("[http] %s may only contain letters, digits and - . _ ~ + / ="), key);
        return FALSE;
      }
  if (strlen (text) < 16)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("[http] %s is too short: use at least 16 characters "
                     "(e.g. the output of `openssl rand -hex 16`)"), key);
      return FALSE;
    }
  g_free (*out);
  *out = g_steal_pointer (&text);
  return TRUE;
}

static void
warn_unknown_keys (GKeyFile           *kf,
                   const char         *path,
                   const char         *group,
                   const char * const *known)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i]))
      g_warning ("%s: unknown key [%s] %s is ignored", path, group, keys[i]);
}

static void
set_domains (SwsConfig *self, GStrv domains)
{
  g_strfreev (self->domains);
  self->domains = domains;
  g_clear_pointer (&self->domain_set, g_hash_table_unref);
  if (domains == NULL || domains[0] == NULL)
    return;

  self->domain_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; domains[i] != NULL; i++)
    {
      char *lower = g_ascii_strdown (g_strstrip (domains[i]), -1);

      if (*lower != '\0')
        g_hash_table_add (self->domain_set, lower);
      else
        g_free (lower);
    }
  /* "domains=" with nothing in it means the default: every domain. */
  if (g_hash_table_size (self->domain_set) == 0)
    g_clear_pointer (&self->domain_set, g_hash_table_unref);
}

/* algorithms=: MD5 and SHA-256 in the order of preference, each once. */
static gboolean
read_algorithms (SwsConfig  *self,
                 GKeyFile   *kf,
                 GError    **error)
{
  g_auto(GStrv) names = NULL;
  guint n = 0;

  if (!g_key_file_has_key (kf, "auth", "algorithms", NULL))
    return TRUE;
  names = g_key_file_get_string_list (kf, "auth", "algorithms", NULL, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SwsDigestAlgorithm algorithm = sws_digest_algorithm_from_string (sws_str_c (g_strstrip (names[i])));
      gboolean seen = FALSE;

      if (*names[i] == '\0')
        continue;
      for (guint j = 0; j < n; j++)
        seen = seen || self->algorithms[j] == algorithm;
      if (algorithm == SWS_DIGEST_ALGORITHM_UNKNOWN || seen)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("[auth] algorithms: “%s” is not MD5 or SHA-256, or comes twice"),
                       names[i]);
          return FALSE;
        }
      self->algorithms[n++] = algorithm;
    }
  if (n == 0)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("[auth] algorithms needs MD5, SHA-256 or both"));
      return FALSE;
    }
  self->algorithms[n] = SWS_DIGEST_ALGORITHM_UNKNOWN;
  return TRUE;
}

static gboolean
load_auth (SwsConfig   *self,
           GKeyFile    *kf,
           const char  *path,
           GError     **error)
{
  g_autofree char *users_file = g_key_file_get_string (kf, "auth", "users-file", NULL);
  g_autofree char *realm = g_key_file_get_string (kf, "auth", "realm", NULL);

  if (users_file != NULL && *g_strstrip (users_file) != '\0')
    {
      /* A relative path is relative to the file that names it. */
      if (g_path_is_absolute (users_file))
        self->users_file = g_steal_pointer (&users_file);
      else
        {
          g_autofree char *dir = g_path_get_dirname (path);

          self->users_file = g_build_filename (dir, users_file, NULL);
        }
    }
  if (realm != NULL && *g_strstrip (realm) != '\0')
    self->realm = g_steal_pointer (&realm);
  return read_algorithms (self, kf, error);
}

static gboolean
load_file (SwsConfig   *self,
           const char  *path,
           GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot read %s: %s"), path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_equal (groups[i], "server"))
        warn_unknown_keys (kf, path, groups[i], server_keys);
      else if (g_str_equal (groups[i], "registrar"))
        warn_unknown_keys (kf, path, groups[i], registrar_keys);
      else if (g_str_equal (groups[i], "proxy"))
        warn_unknown_keys (kf, path, groups[i], proxy_keys);
      else if (g_str_equal (groups[i], "http"))
        warn_unknown_keys (kf, path, groups[i], http_keys);
      else if (g_str_equal (groups[i], "auth"))
        {
          warn_unknown_keys (kf, path, groups[i], auth_keys);
          self->has_auth = TRUE;
        }
      else
        g_warning ("%s: unknown group [%s] is ignored", path, groups[i]);
    }

  if (g_key_file_has_key (kf, "server", "listen", NULL))
    {
      g_auto(GStrv) listen = g_key_file_get_string_list (kf, "server", "listen", NULL, NULL);

      if (listen == NULL || listen[0] == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: [server] listen= needs at least one ws:// URI"), path);
          return FALSE;
        }
      for (guint i = 0; listen[i] != NULL; i++)
        g_strstrip (listen[i]);
      g_strfreev (self->listen);
      self->listen = g_steal_pointer (&listen);
    }

  if (g_key_file_has_key (kf, "server", "domains", NULL))
    set_domains (self, g_key_file_get_string_list (kf, "server", "domains", NULL, NULL));

  if (g_key_file_has_key (kf, "server", "allow-unauthenticated", NULL))
    {
      self->allow_unauthenticated =
        g_key_file_get_boolean (kf, "server", "allow-unauthenticated", &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: [server] allow-unauthenticated must be true or false"), path);
          return FALSE;
        }
    }

  if (g_key_file_has_key (kf, "server", "allowed-origins", NULL))
    {
      g_auto(GStrv) origins = g_key_file_get_string_list (kf, "server", "allowed-origins",
                                                          NULL, NULL);

      for (guint i = 0; origins != NULL && origins[i] != NULL; i++)
        {
          g_strstrip (origins[i]);
          /* An origin is scheme://host[:port] (RFC 6454 §6.1), nothing else. */
          if (!g_str_equal (origins[i], "*") &&
              (!g_uri_is_valid (origins[i], G_URI_FLAGS_NONE, NULL) ||
               strchr (strstr (origins[i], "://") + 3, '/') != NULL))
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("%s: [server] allowed-origins: “%s” is not an origin; write "
                             "scheme://host[:port] like https://phone.example.com, or *"),
                           path, origins[i]);
              return FALSE;
            }
        }
      g_strfreev (self->allowed_origins);
      self->allowed_origins = g_steal_pointer (&origins);
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "tls-certificate" : "tls-key";
      char **field = i == 0 ? &self->tls_certificate : &self->tls_key;
      g_autofree char *value = g_key_file_get_string (kf, "server", key, NULL);

      if (value == NULL || *g_strstrip (value) == '\0')
        continue;
      /* Relative to the config file, like most daemons' key paths. */
      g_free (*field);
      if (g_path_is_absolute (value))
        *field = g_steal_pointer (&value);
      else
        {
          g_autofree char *dir = g_path_get_dirname (path);

          *field = g_build_filename (dir, value, NULL);
        }
    }

  if (!read_bool (kf, "server", "rate-limit-loopback", &self->rate_limit_loopback, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (g_key_file_has_key (kf, "server", "log-level", NULL))
    {
      g_autofree char *level = g_key_file_get_string (kf, "server", "log-level", NULL);

      g_free (self->log_level);
      self->log_level = g_strstrip (g_steal_pointer (&level));
    }

  if (!read_token (kf, "token", &self->http_token, error) ||
      !read_token (kf, "metrics-token", &self->http_metrics_token, error) ||
      !read_bool (kf, "http", "public-metrics", &self->http_public_metrics, error) ||
      !read_bool (kf, "http", "trust-loopback", &self->http_trust_loopback, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (!read_uint (kf, "server", "keepalive-interval", 0, 3600, &self->keepalive_interval, error) ||
      !read_uint (kf, "server", "handshake-timeout", 1, 3600, &self->handshake_timeout, error) ||
      !read_uint (kf, "server", "max-connections", 1, 10000000, &self->max_connections, error) ||
      !read_uint (kf, "server", "max-connections-per-ip", 0, 10000000, &self->max_connections_per_ip, error) ||
      !read_uint (kf, "server", "rate-limit", 0, 1000000, &self->rate_limit, error) ||
      !read_uint (kf, "server", "rate-limit-burst", 1, 10000000, &self->rate_limit_burst, error) ||
      !read_uint (kf, "registrar", "default-expires", 1, G_MAXINT32, &self->default_expires, error) ||
      !read_uint (kf, "registrar", "min-expires", 1, G_MAXINT32, &self->min_expires, error) ||
      !read_uint (kf, "registrar", "max-expires", 1, G_MAXINT32, &self->max_expires, error) ||
      !read_uint (kf, "registrar", "max-contacts", 1, 1000, &self->max_contacts, error) ||
      !read_uint (kf, "proxy", "invite-timeout", 1, 86400, &self->invite_timeout, error) ||
      !read_uint (kf, "proxy", "call-linger", 0, 86400, &self->call_linger, error) ||
      !read_uint (kf, "auth", "nonce-lifetime", 1, 86400, &self->nonce_lifetime, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (self->has_auth && !load_auth (self, kf, path, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  return TRUE;
}

gboolean
sws_config_load (SwsConfig   *self,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *found = NULL;

  g_return_val_if_fail (SWS_IS_CONFIG (self), FALSE);

  set_defaults (self);
  if (path == NULL)
    path = found = find_default_path ();
  if (path == NULL)
    return TRUE;

  self->path = g_strdup (path);
  return load_file (self, path, error);
}

void
sws_config_override_listen (SwsConfig          *self,
                            const char * const *uris)
{
  g_return_if_fail (SWS_IS_CONFIG (self));

  if (uris == NULL || uris[0] == NULL)
    return;
  g_strfreev (self->listen);
  self->listen = g_strdupv ((char **) uris);
}

gboolean
sws_listen_uri_is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) addr = NULL;
  const char *host;

  if (parsed == NULL || (host = g_uri_get_host (parsed)) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

gboolean
sws_config_validate (SwsConfig   *self,
                     GError     **error)
{
  gboolean public = FALSE;

  g_return_val_if_fail (SWS_IS_CONFIG (self), FALSE);

  for (guint i = 0; self->listen[i] != NULL; i++)
    {
      const char *uri = self->listen[i];
      g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

      if (parsed == NULL ||
          (g_strcmp0 (g_uri_get_scheme (parsed), "ws") != 0 &&
           g_strcmp0 (g_uri_get_scheme (parsed), "wss") != 0) ||
          g_uri_get_host (parsed) == NULL || g_uri_get_port (parsed) < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Invalid listen URI “%s”: expected ws://ADDRESS:PORT or "
                         "wss://ADDRESS:PORT, e.g. ws://127.0.0.1:5066"), uri);
          return FALSE;
        }
      if (g_str_equal (g_uri_get_scheme (parsed), "wss") &&
          (self->tls_certificate == NULL || self->tls_key == NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Listening on %s needs a certificate: set tls-certificate and "
                         "tls-key (PEM files) in [server]"), uri);
          return FALSE;
        }
      if (!sws_listen_uri_is_loopback (uri))
        public = TRUE;
    }

  if (!(self->min_expires <= self->default_expires &&
        self->default_expires <= self->max_expires))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("[registrar] needs min-expires ≤ default-expires ≤ max-expires "
                     "(have %u, %u, %u)"),
                   self->min_expires, self->default_expires, self->max_expires);
      return FALSE;
    }

  if (self->has_auth && self->users_file == NULL)
    {
      /* Claiming to authenticate without anyone to authenticate would be
       * worse than refusing. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("[auth] needs users-file=PATH, a file of USER:REALM:ALGORITHM:HA1 "
                     "lines (see “sipwsctl passwd”)"));
      return FALSE;
    }

  if (public && !self->has_auth && !self->allow_unauthenticated)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Refusing to listen on a non-loopback address without authentication: "
                     "anyone who can reach it could register as anyone. Listen on 127.0.0.1, "
                     "or set allow-unauthenticated=true in [server] if this network is trusted"));
      return FALSE;
    }

  return TRUE;
}

void
sws_config_update_from (SwsConfig *self,
                        SwsConfig *other)
{
  g_return_if_fail (SWS_IS_CONFIG (self));
  g_return_if_fail (SWS_IS_CONFIG (other));

  g_free (self->path);
  self->path = g_strdup (other->path);
  set_domains (self, g_strdupv (other->domains));
  self->allow_unauthenticated = other->allow_unauthenticated;
  self->keepalive_interval = other->keepalive_interval;
  self->handshake_timeout = other->handshake_timeout;
  self->max_connections = other->max_connections;
  self->max_connections_per_ip = other->max_connections_per_ip;
  g_strfreev (self->allowed_origins);
  self->allowed_origins = g_strdupv (other->allowed_origins);
  g_free (self->tls_certificate);
  self->tls_certificate = g_strdup (other->tls_certificate);
  g_free (self->tls_key);
  self->tls_key = g_strdup (other->tls_key);
  self->rate_limit = other->rate_limit;
  self->rate_limit_burst = other->rate_limit_burst;
  self->rate_limit_loopback = other->rate_limit_loopback;
  self->default_expires = other->default_expires;
  self->min_expires = other->min_expires;
  self->max_expires = other->max_expires;
  self->max_contacts = other->max_contacts;
  self->invite_timeout = other->invite_timeout;
  self->call_linger = other->call_linger;
  g_free (self->log_level);
  self->log_level = g_strdup (other->log_level);
  g_free (self->http_token);
  self->http_token = g_strdup (other->http_token);
  g_free (self->http_metrics_token);
  self->http_metrics_token = g_strdup (other->http_metrics_token);
  self->http_public_metrics = other->http_public_metrics;
  self->http_trust_loopback = other->http_trust_loopback;
  self->has_auth = other->has_auth;
  g_free (self->users_file);
  self->users_file = g_strdup (other->users_file);
  g_free (self->realm);
  self->realm = g_strdup (other->realm);
  self->nonce_lifetime = other->nonce_lifetime;
  memcpy (self->algorithms, other->algorithms, sizeof self->algorithms);
}

const char *
sws_config_get_path (SwsConfig *self)
{
  return self->path;
}

const char * const *
sws_config_get_listen (SwsConfig *self)
{
  return (const char * const *) self->listen;
}

const char * const *
sws_config_get_domains (SwsConfig *self)
{
  return (const char * const *) self->domains;
}

gboolean
sws_config_serves_domain (SwsConfig  *self,
                          const char *host,
                          gsize       host_len)
{
  char buf[256];

  if (self->domain_set == NULL)
    return TRUE;
  if (host_len >= sizeof buf)
    return FALSE;
  for (gsize i = 0; i < host_len; i++)
    buf[i] = g_ascii_tolower (host[i]);
  buf[host_len] = '\0';
  return g_hash_table_contains (self->domain_set, buf);
}

gboolean
sws_config_get_allow_unauthenticated (SwsConfig *self)
{
  return self->allow_unauthenticated;
}

guint
sws_config_get_keepalive_interval (SwsConfig *self)
{
  return self->keepalive_interval;
}

guint
sws_config_get_max_connections (SwsConfig *self)
{
  return self->max_connections;
}

guint
sws_config_get_max_connections_per_ip (SwsConfig *self)
{
  return self->max_connections_per_ip;
}

guint
sws_config_get_default_expires (SwsConfig *self)
{
  return self->default_expires;
}

guint
sws_config_get_min_expires (SwsConfig *self)
{
  return self->min_expires;
}

guint
sws_config_get_max_expires (SwsConfig *self)
{
  return self->max_expires;
}

guint
sws_config_get_max_contacts (SwsConfig *self)
{
  return self->max_contacts;
}

guint
sws_config_get_invite_timeout (SwsConfig *self)
{
  return self->invite_timeout;
}

guint
sws_config_get_call_linger (SwsConfig *self)
{
  return self->call_linger;
}

const char *
sws_config_get_log_level (SwsConfig *self)
{
  return self->log_level;
}

const char *
sws_config_get_http_token (SwsConfig *self)
{
  return self->http_token;
}

const char *
sws_config_get_http_metrics_token (SwsConfig *self)
{
  return self->http_metrics_token;
}

gboolean
sws_config_get_http_public_metrics (SwsConfig *self)
{
  return self->http_public_metrics;
}

gboolean
sws_config_get_http_trust_loopback (SwsConfig *self)
{
  return self->http_trust_loopback;
}

const char * const *
sws_config_get_allowed_origins (SwsConfig *self)
{
  return (const char * const *) self->allowed_origins;
}

guint
sws_config_get_rate_limit (SwsConfig *self)
{
  return self->rate_limit;
}

guint
sws_config_get_rate_limit_burst (SwsConfig *self)
{
  return self->rate_limit_burst;
}

gboolean
sws_config_get_rate_limit_loopback (SwsConfig *self)
{
  return self->rate_limit_loopback;
}

const char *
sws_config_get_tls_certificate (SwsConfig *self)
{
  return self->tls_certificate;
}

const char *
sws_config_get_tls_key (SwsConfig *self)
{
  return self->tls_key;
}

const char *
sws_config_get_users_file (SwsConfig *self)
{
  return self->has_auth ? self->users_file : NULL;
}

char *
sws_config_dup_realm (SwsConfig *self)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (self->realm != NULL)
    return g_strdup (self->realm);
  if (self->domains != NULL && self->domains[0] != NULL && *self->domains[0] != '\0')
    return g_ascii_strdown (self->domains[0], -1);
  /* The address clients connect to names the server well enough. */
  uri = g_uri_parse (self->listen[0], G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : NULL;
  if (host == NULL || g_str_equal (host, "0.0.0.0") || g_str_equal (host, "::"))
    return g_strdup (g_get_host_name ());
  return g_strdup (host);
}

guint
sws_config_get_nonce_lifetime (SwsConfig *self)
{
  return self->nonce_lifetime;
}

const SwsDigestAlgorithm *
sws_config_get_auth_algorithms (SwsConfig *self)
{
  return self->algorithms;
}

guint
sws_config_get_handshake_timeout (SwsConfig *self)
{
  return self->handshake_timeout;
}
