/* sws-test-sip.c: SIP helpers for the daemon tests */

#include <glib/gstdio.h>

#include "sws-test-sip.h"

SwsServer *
sws_test_server_new (const char *config_text)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SwsServer *server;
  int fd;

  /* GTest shows debug output; the server's per-message lines drown the
   * test log. G_MESSAGES_DEBUG still brings them back. */
  if (g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_log_set_debug_enabled (FALSE);
  fd = g_file_open_tmp ("sws-test-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, config_text ? config_text : "", -1, &error);
  g_assert_no_error (error);
  g_assert_true (sws_config_load (config, path, &error));
  g_assert_no_error (error);
  g_assert_true (sws_config_validate (config, &error));
  g_unlink (path);
  server = sws_server_new (config);
  /* What sws_server_start() does first, without listening. */
  g_assert_true (sws_server_configure_auth (server, config, &error));
  g_assert_no_error (error);
  return server;
}

char *
sws_test_register (const char *aor,
                   const char *contact,
                   const char *call_id,
                   guint       cseq,
                   const char *extra_headers)
{
  const char *host = strchr (aor, '@');

  return g_strdup_printf ("REGISTER sip:%s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK%u%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <sip:%s>\r\n"
                          "From: <sip:%s>;tag=ft%u\r\n"
                          "Call-ID: %s\r\n"
                          "CSeq: %u REGISTER\r\n"
                          "%s%s%s"
                          "%s"
                          "User-Agent: sws-test\r\n"
                          "Content-Length: 0\r\n\r\n",
                          host ? host + 1 : aor, g_random_int (), call_id,
                          aor, aor, cseq, call_id, cseq,
                          contact ? "Contact: " : "", contact ? contact : "", contact ? "\r\n" : "",
                          extra_headers ? extra_headers : "");
}

static void
feed (SwsServer     *server,
      SwsConnection *conn,
      const char    *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  sws_server_handle_message (server, conn, bytes);
}

SwsSipMessage *
sws_test_exchange (SwsServer     *server,
                   SwsConnection *conn,
                   const char    *text)
{
  SwsFakeConnection *fake = SWS_FAKE_CONNECTION (conn);
  g_autofree char *reply = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  feed (server, conn, text);
  reply = sws_fake_connection_pop (fake);
  g_assert_nonnull (reply);
  extra = sws_fake_connection_pop (fake);
  g_assert_null (extra);
  if (!sws_sip_message_parse_data (reply, -1, &msg, &error))
    g_error ("server sent an unparsable reply (%s):\n%s", error->message, reply);
  g_assert_false (msg->is_request);
  return msg;
}

void
sws_test_no_reply (SwsServer     *server,
                   SwsConnection *conn,
                   const char    *text)
{
  g_autofree char *reply = NULL;

  feed (server, conn, text);
  reply = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn));
  g_assert_null (reply);
}

char *
sws_test_header (SwsSipMessage *msg,
                 const char    *name)
{
  SwsHeaderId id = sws_header_id_from_name (sws_str_c (name));
  const SwsHeader *h = id != SWS_HDR_OTHER ? sws_sip_message_find (msg, id)
                                           : sws_sip_message_find_name (msg, name);

  return h ? sws_str_dup (h->value) : NULL;
}

guint
sws_test_count_contacts (SwsSipMessage *msg)
{
  SwsValueIter iter;
  SwsStr value;
  guint n = 0;

  sws_value_iter_init (&iter, msg, SWS_HDR_CONTACT);
  while (sws_value_iter_next (&iter, &value))
    n++;
  return n;
}

void
sws_test_settle (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}
