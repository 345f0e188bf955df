/* test-config.c: settings, their defaults and the refusals that protect users */

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sws-config.h"

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("sws-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
load_text (SwsConfig *config, const char *text, GError **error)
{
  g_autofree char *path = write_config (text);
  gboolean ok = sws_config_load (config, path, error) && sws_config_validate (config, error);

  g_unlink (path);
  return ok;
}

static void
test_defaults (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;
  const char * const *listen;

  g_assert_true (load_text (config, "", &error));
  listen = sws_config_get_listen (config);
  g_assert_cmpstr (listen[0], ==, "ws://127.0.0.1:5066");
  g_assert_null (listen[1]);
  g_assert_cmpuint (sws_config_get_default_expires (config), ==, 600);
  g_assert_cmpuint (sws_config_get_min_expires (config), ==, 60);
  g_assert_cmpuint (sws_config_get_max_expires (config), ==, 3600);
  g_assert_true (sws_config_serves_domain (config, "anything.example", 16));
}

static void
test_values (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (load_text (config,
                            "[server]\nlisten=ws://127.0.0.1:0;ws://[::1]:0\n"
                            "domains=Example.COM; example.org\nkeepalive-interval=5\n"
                            "[registrar]\ndefault-expires=300\nmin-expires=30\nmax-expires=900\n",
                            &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sws_config_get_listen (config)[1], ==, "ws://[::1]:0");
  g_assert_true (sws_config_serves_domain (config, "example.com", 11));
  g_assert_true (sws_config_serves_domain (config, "EXAMPLE.org", 11));
  g_assert_false (sws_config_serves_domain (config, "example.net", 11));
  g_assert_cmpuint (sws_config_get_keepalive_interval (config), ==, 5);
  g_assert_cmpuint (sws_config_get_default_expires (config), ==, 300);
}

static void
test_refusals (void)
{
  struct {
    const char *text;
    const char *needle;
  } cases[] = {
    { "[server]\nlisten=ws://0.0.0.0:5066\n", "allow-unauthenticated" },
    { "[server]\nlisten=http://127.0.0.1:5066\n", "ws://" },
    { "[server]\nlisten=ws://127.0.0.1\n", "ws://" },
    { "[registrar]\nmin-expires=700\n", "min-expires" },
    { "[registrar]\nmax-contacts=lots\n", "max-contacts" },
    { "[server]\nallow-unauthenticated=perhaps\n", "allow-unauthenticated" },
    { "[http]\ntoken=short\n", "[http] token is too short" },
    { "[server]\nallowed-origins=https://ok.example;https://bad.example/path\n", "allowed-origins" },
    { "[server]\nallowed-origins=phone.example.com\n", "allowed-origins" },
    { "[server]\nrate-limit=-1\n", "rate-limit" },
    { "[server]\nhandshake-timeout=0\n", "handshake-timeout" },
    { "[server]\nlisten=wss://127.0.0.1:5067\n", "tls-certificate" },
    { "[server]\nlisten=wss://127.0.0.1:5067\ntls-certificate=c.pem\n", "tls-key" },
    { "[server]\nrate-limit-burst=0\n", "rate-limit-burst" },
    { "[server]\nrate-limit-loopback=maybe\n", "rate-limit-loopback" },
    { "[http]\ntoken=has spaces in the middle of it\n", "[http] token may only" },
    { "[http]\nmetrics-token=0123456789abcdef\"\n", "[http] metrics-token may only" },
    { "[http]\npublic-metrics=sometimes\n", "[http] public-metrics" },
    { "[http]\ntrust-loopback=1x\n", "[http] trust-loopback" },
    { "[auth]\nrealm=example.com\n", "[auth] needs users-file" },
    { "[auth]\nusers-file=\n", "[auth] needs users-file" },
    { "not a key file", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SwsConfig) config = sws_config_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (load_text (config, cases[i].text, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

static void
test_limits (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;
  const char * const *origins;

  g_assert_null (sws_config_get_allowed_origins (config));
  g_assert_cmpuint (sws_config_get_rate_limit (config), ==, 50);
  g_assert_cmpuint (sws_config_get_rate_limit_burst (config), ==, 100);
  g_assert_false (sws_config_get_rate_limit_loopback (config));
  g_assert_cmpuint (sws_config_get_max_connections_per_ip (config), ==, 0);

  g_assert_true (load_text (config, "[server]\nallowed-origins=https://a.example; http://b.example:8080;*\n"
                                    "rate-limit=0\nrate-limit-burst=7\nrate-limit-loopback=true\n"
                                    "max-connections-per-ip=9\n", &error));
  g_assert_no_error (error);
  origins = sws_config_get_allowed_origins (config);
  g_assert_cmpstr (origins[0], ==, "https://a.example");
  g_assert_cmpstr (origins[1], ==, "http://b.example:8080");
  g_assert_cmpstr (origins[2], ==, "*");
  g_assert_null (origins[3]);
  g_assert_cmpuint (sws_config_get_rate_limit (config), ==, 0);
  g_assert_cmpuint (sws_config_get_rate_limit_burst (config), ==, 7);
  g_assert_true (sws_config_get_rate_limit_loopback (config));
  g_assert_cmpuint (sws_config_get_max_connections_per_ip (config), ==, 9);

  /* Key files relative to the config file's directory. */
  g_assert_true (load_text (config, "[server]\nlisten=ws://127.0.0.1:5066;wss://127.0.0.1:5067\n"
                                    "tls-certificate=certs/c.pem\ntls-key=/etc/k.pem\n", &error));
  g_assert_no_error (error);
  g_assert_true (g_path_is_absolute (sws_config_get_tls_certificate (config)));
  g_assert_true (g_str_has_suffix (sws_config_get_tls_certificate (config), "/certs/c.pem"));
  g_assert_cmpstr (sws_config_get_tls_key (config), ==, "/etc/k.pem");
}

static void
test_http (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(SwsConfig) other = sws_config_new ();
  g_autoptr(GError) error = NULL;

  /* Defaults: loopback trusted, no token, /metrics like the API. */
  g_assert_null (sws_config_get_http_token (config));
  g_assert_null (sws_config_get_http_metrics_token (config));
  g_assert_false (sws_config_get_http_public_metrics (config));
  g_assert_true (sws_config_get_http_trust_loopback (config));

  g_assert_true (load_text (config, "[http]\ntoken= 0123456789abcdef-_.~+/= \n"
                                    "metrics-token=\npublic-metrics=true\n"
                                    "trust-loopback=false\n", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sws_config_get_http_token (config), ==, "0123456789abcdef-_.~+/=");
  g_assert_null (sws_config_get_http_metrics_token (config));
  g_assert_true (sws_config_get_http_public_metrics (config));
  g_assert_false (sws_config_get_http_trust_loopback (config));

  /* A reload takes the new token. */
  g_assert_true (load_text (other, "[http]\ntoken=ffffffffffffffffffff\n", &error));
  sws_config_update_from (config, other);
  g_assert_cmpstr (sws_config_get_http_token (config), ==, "ffffffffffffffffffff");
  g_assert_true (sws_config_get_http_trust_loopback (config));
}

static void
test_public_allowed (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (load_text (config, "[server]\nlisten=ws://0.0.0.0:5066\n"
                                    "allow-unauthenticated=true\n", &error));
  g_assert_true (sws_listen_uri_is_loopback ("ws://127.0.0.5:1"));
  g_assert_true (sws_listen_uri_is_loopback ("ws://[::1]:1"));
  g_assert_true (sws_listen_uri_is_loopback ("ws://localhost:1"));
  g_assert_false (sws_listen_uri_is_loopback ("ws://192.0.2.1:1"));
}

static void
test_auth (void)
{
  g_autoptr(GError) error = NULL;
  struct {
    const char *text;
    const char *realm;
  } realms[] = {
    { "[auth]\nusers-file=/u\nrealm= My Realm \n", "My Realm" },
    { "[server]\ndomains=Example.COM;example.org\n[auth]\nusers-file=/u\n", "example.com" },
    { "[server]\nlisten=ws://127.0.0.2:5066\n[auth]\nusers-file=/u\n", "127.0.0.2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (realms); i++)
    {
      g_autoptr(SwsConfig) config = sws_config_new ();
      g_autofree char *realm = NULL;

      g_assert_true (load_text (config, realms[i].text, &error));
      g_assert_no_error (error);
      realm = sws_config_dup_realm (config);
      g_assert_cmpstr (realm, ==, realms[i].realm);
      g_assert_cmpstr (sws_config_get_users_file (config), ==, "/u");
      g_assert_cmpuint (sws_config_get_nonce_lifetime (config), ==, 300);
    }

  {
    /* [auth] is what makes a public address acceptable */
    g_autoptr(SwsConfig) config = sws_config_new ();

    g_assert_true (load_text (config, "[server]\nlisten=ws://0.0.0.0:5066\n"
                                      "[auth]\nusers-file=/u\nnonce-lifetime=60\n", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sws_config_get_nonce_lifetime (config), ==, 60);
    /* default: SHA-256 preferred (RFC 8760 §2.4), MD5 last for JsSIP */
    g_assert_cmpint (sws_config_get_auth_algorithms (config)[0], ==, SWS_DIGEST_ALGORITHM_SHA256);
    g_assert_cmpint (sws_config_get_auth_algorithms (config)[1], ==, SWS_DIGEST_ALGORITHM_MD5);
    g_assert_cmpint (sws_config_get_auth_algorithms (config)[2], ==, SWS_DIGEST_ALGORITHM_UNKNOWN);
  }
  {
    g_autoptr(SwsConfig) config = sws_config_new ();

    g_assert_true (load_text (config, "[auth]\nusers-file=/u\nalgorithms=md5; SHA-256\n", &error));
    g_assert_no_error (error);
    g_assert_cmpint (sws_config_get_auth_algorithms (config)[0], ==, SWS_DIGEST_ALGORITHM_MD5);
    g_assert_cmpint (sws_config_get_auth_algorithms (config)[1], ==, SWS_DIGEST_ALGORITHM_SHA256);
  }
  {
    const char *bad[] = { "algorithms=SHA-512\n", "algorithms=MD5;MD5\n", "algorithms=\n" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(SwsConfig) config = sws_config_new ();
        g_autofree char *text = g_strdup_printf ("[auth]\nusers-file=/u\n%s", bad[i]);

        g_assert_false (load_text (config, text, &error));
        g_assert_nonnull (strstr (error->message, "[auth] algorithms"));
        g_clear_error (&error);
      }
  }
  {
    g_autoptr(SwsConfig) config = sws_config_new ();

    g_assert_false (load_text (config, "[auth]\nusers-file=/u\nnonce-lifetime=0\n", &error));
    g_assert_nonnull (strstr (error->message, "nonce-lifetime"));
    g_clear_error (&error);
  }
  {
    g_autoptr(SwsConfig) config = sws_config_new ();

    /* no [auth]: no users file */
    g_assert_true (load_text (config, "", &error));
    g_assert_null (sws_config_get_users_file (config));
  }
}

static void
test_unknown_key_warns (void)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("sws-config", G_LOG_LEVEL_WARNING, "*unknown key [server] lisen*");
  g_assert_true (load_text (config, "[server]\nlisen=ws://127.0.0.1:1\n", &error));
  g_test_assert_expected_messages ();
}

static void
test_override_and_update (void)
{
  g_autoptr(SwsConfig) live = sws_config_new ();
  g_autoptr(SwsConfig) fresh = sws_config_new ();
  g_autoptr(GError) error = NULL;
  const char *cli[] = { "ws://127.0.0.1:7000", NULL };

  g_assert_true (load_text (live, "", &error));
  sws_config_override_listen (live, cli);
  g_assert_cmpstr (sws_config_get_listen (live)[0], ==, "ws://127.0.0.1:7000");

  g_assert_true (load_text (fresh, "[server]\nlisten=ws://127.0.0.1:9\n[registrar]\nmax-contacts=3\n",
                            &error));
  sws_config_update_from (live, fresh);
  /* Reload changes limits but not where we listen. */
  g_assert_cmpuint (sws_config_get_max_contacts (live), ==, 3);
  g_assert_cmpstr (sws_config_get_listen (live)[0], ==, "ws://127.0.0.1:7000");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/config/defaults", test_defaults);
  g_test_add_func ("/sws/config/values", test_values);
  g_test_add_func ("/sws/config/refusals", test_refusals);
  g_test_add_func ("/sws/config/public-allowed", test_public_allowed);
  g_test_add_func ("/sws/config/http", test_http);
  g_test_add_func ("/sws/config/limits", test_limits);
  g_test_add_func ("/sws/config/auth", test_auth);
  g_test_add_func ("/sws/config/unknown-key-warns", test_unknown_key_warns);
  g_test_add_func ("/sws/config/override-and-update", test_override_and_update);

  return g_test_run ();
}
