/* test-dbus.c: the D-Bus object model of the real daemon, on a private bus
 *
 * Each test starts sipwsd on a free port with a private session bus
 * (GTestDBus), drives it with real WebSocket clients, and watches what
 * appears on the bus: objects, properties, signals, and what the methods
 * do to the clients.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "sws-dbus-generated.h"
#include "sws-test-ua.h"

#define BUS_NAME "org.sipws.Server1"
#define ROOT "/org/sipws/Server1"

typedef struct
{
  GTestDBus *bus;
  GDBusConnection *conn;
  GSubprocess *daemon;
  char *log_path;
  char *config_path;
  char *uri;
  GDBusObjectManager *manager;
  SwsDBusManager *server;
  GPtrArray *signals;        /* "Member path args" strings, in order */
  guint subscription;
} Fixture;

static guint16
free_port (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (sock, addr, TRUE, &error));
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
name_has_owner (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (f->conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "NameHasOwner",
                                 g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                 G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *parameters,
           gpointer         user_data)
{
  Fixture *f = user_data;
  g_autofree char *args = g_variant_print (parameters, FALSE);

  g_ptr_array_add (f->signals, g_strdup_printf ("%s %s %s", member, path, args));
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Like sws_test_iterate_until(), for conditions that no event announces
 * (a name appearing, a port opening): wake up every 10 ms to look. */
static gboolean
poll_until (guint timeout_ms, gboolean (*done) (gpointer), gpointer user_data)
{
  guint id = g_timeout_add (10, tick, NULL);
  gboolean ok = sws_test_iterate_until (NULL, timeout_ms, done, user_data);

  g_source_remove (id);
  return ok;
}

/* The daemon must not outlive a test that aborts. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static char *
start_daemon (Fixture *f, const char *bus_address)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *config = NULL;
  const char *daemon = g_getenv ("SWS_DAEMON");
  int fd;

  if (daemon == NULL)
    g_error ("SWS_DAEMON must name the sipwsd binary");
  fd = g_file_open_tmp ("sws-dbus-XXXXXX.conf", &config, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (config, "[proxy]\ncall-linger=60\n", -1, &error);
  g_assert_no_error (error);

  f->uri = g_strdup_printf ("ws://127.0.0.1:%u", free_port ());
  fd = g_file_open_tmp ("sws-dbus-XXXXXX.log", &f->log_path, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_take_stderr_fd (launcher, fd);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  f->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--listen", f->uri,
                                           "--config", config, "--verbose", NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&config);
}

static gboolean
tcp_ready (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) c = NULL;
  const char *hostport = f->uri + strlen ("ws://");

  c = g_socket_client_connect_to_host (client, hostport, 0, NULL, NULL);
  return c != NULL;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  f->signals = g_ptr_array_new_with_free_func (g_free);
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->conn = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  f->config_path = start_daemon (f, g_test_dbus_get_bus_address (f->bus));
  g_assert_true (poll_until (5000, name_has_owner, f));
  /* The name comes after the listener is bound (Type=dbus readiness). */
  g_assert_true (tcp_ready (f));

  f->manager = sws_dbus_object_manager_client_new_sync (f->conn,
                                                        G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                        BUS_NAME, ROOT, NULL, &error);
  g_assert_no_error (error);
  f->server = sws_dbus_manager_proxy_new_sync (f->conn, G_DBUS_PROXY_FLAGS_NONE, BUS_NAME, ROOT,
                                               NULL, &error);
  g_assert_no_error (error);
  f->subscription = g_dbus_connection_signal_subscribe (f->conn, BUS_NAME, NULL, NULL, NULL,
                                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                        on_signal, f, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_signal_unsubscribe (f->conn, f->subscription);
  g_clear_object (&f->server);
  g_clear_object (&f->manager);
  if (f->daemon != NULL)
    {
      g_subprocess_send_signal (f->daemon, SIGTERM);
      g_subprocess_wait_check (f->daemon, NULL, &error);
      if (error != NULL)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (f->log_path, &log, NULL, NULL);
          g_printerr ("---- sipwsd log ----\n%s\n", log ? log : "");
        }
      g_assert_no_error (error);
    }
  g_clear_object (&f->daemon);
  g_clear_object (&f->conn);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_unlink (f->log_path);
  g_unlink (f->config_path);
  g_free (f->log_path);
  g_free (f->config_path);
  g_free (f->uri);
  g_ptr_array_unref (f->signals);
}

/* ---- SIP helpers -------------------------------------------------------- */

static SwsTestClient *
client (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SwsTestClient *c = sws_test_client_new (f->uri, &error);

  g_assert_no_error (error);
  return c;
}

static void
respond (SwsTestClient *c, SwsSipMessage *req, guint status, const char *reason,
         const char *contact)
{
  sws_test_ua_respond (c, req, status, reason, "calleetag", contact);
}

static const char *invite_text =
  "INVITE sip:bob@example.com SIP/2.0\r\n"
  "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKcall1\r\n"
  "Max-Forwards: 70\r\n"
  "To: <sip:bob@example.com>\r\n"
  "From: <sip:alice@example.com>;tag=callertag\r\n"
  "Call-ID: dbus-call-1\r\n"
  "CSeq: 1 INVITE\r\n"
  /* browsers add ";ob" (RFC 5626) to the Contact of calls, not of REGISTER */
  "Contact: <sip:alice@alice.invalid;transport=ws;ob>\r\n"
  "Content-Length: 0\r\n\r\n";

/* alice calls bob, bob rings and answers; returns the Record-Route value. */
static char *
establish_call (SwsTestClient *alice, SwsTestClient *bob)
{
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) invite = NULL;
  g_autoptr(SwsSipMessage) ringing = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  const SwsHeader *rr;

  sws_test_client_send (alice, invite_text);
  trying = sws_test_ua_recv (alice);
  g_assert_cmpuint (trying->status, ==, 100);
  invite = sws_test_ua_recv (bob);
  g_assert_cmpuint (invite->method, ==, SWS_METHOD_INVITE);
  respond (bob, invite, 180, "Ringing", "sip:bob@bob.invalid;transport=ws");
  ringing = sws_test_ua_recv (alice);
  g_assert_cmpuint (ringing->status, ==, 180);
  respond (bob, invite, 200, "OK", "sip:bob@bob.invalid;transport=ws");
  ok = sws_test_ua_recv (alice);
  g_assert_cmpuint (ok->status, ==, 200);
  rr = sws_sip_message_find (ok, SWS_HDR_RECORD_ROUTE);
  g_assert_nonnull (rr);
  return sws_str_dup (rr->value);
}

/* ---- D-Bus helpers ------------------------------------------------------ */

typedef struct
{
  Fixture *f;
  const char *kind;     /* "Registration" or "Call" */
  guint want;
} CountData;

static guint
count_objects (Fixture *f, const char *kind)
{
  GList *objects = g_dbus_object_manager_get_objects (f->manager);
  g_autofree char *prefix = g_strdup_printf (ROOT "/%s/", kind);
  guint n = 0;

  for (GList *l = objects; l != NULL; l = l->next)
    if (g_str_has_prefix (g_dbus_object_get_object_path (l->data), prefix))
      n++;
  g_list_free_full (objects, g_object_unref);
  return n;
}

static gboolean
has_count (gpointer user_data)
{
  CountData *d = user_data;

  return count_objects (d->f, d->kind) == d->want;
}

static void
wait_objects (Fixture *f, const char *kind, guint want)
{
  CountData d = { f, kind, want };

  if (!sws_test_iterate_until (NULL, 3000, has_count, &d))
    g_error ("expected %u %s objects, have %u", want, kind, count_objects (f, kind));
}

typedef struct
{
  Fixture *f;
  const char *prefix;
} SignalData;

static gboolean
has_signal (gpointer user_data)
{
  SignalData *d = user_data;

  for (guint i = 0; i < d->f->signals->len; i++)
    if (g_str_has_prefix (d->f->signals->pdata[i], d->prefix))
      return TRUE;
  return FALSE;
}

static void
wait_signal (Fixture *f, const char *prefix)
{
  SignalData d = { f, prefix };

  if (!sws_test_iterate_until (NULL, 3000, has_signal, &d))
    {
      for (guint i = 0; i < f->signals->len; i++)
        g_test_message ("seen: %s", (char *) f->signals->pdata[i]);
      g_error ("no signal starting with “%s”", prefix);
    }
}

static guint
count_signals (Fixture *f, const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->signals->len; i++)
    if (g_str_has_prefix (f->signals->pdata[i], prefix))
      n++;
  return n;
}

static SwsDBusRegistration *
registration (Fixture *f, guint n)
{
  g_autofree char *path = g_strdup_printf (ROOT "/Registration/%u", n);
  g_autoptr(GDBusObject) object = g_dbus_object_manager_get_object (f->manager, path);

  g_assert_nonnull (object);
  return sws_dbus_object_get_registration (SWS_DBUS_OBJECT (object));
}

static SwsDBusCall *
call_object (Fixture *f, guint n)
{
  g_autofree char *path = g_strdup_printf (ROOT "/Call/%u", n);
  g_autoptr(GDBusObject) object = g_dbus_object_manager_get_object (f->manager, path);

  g_assert_nonnull (object);
  return sws_dbus_object_get_call (SWS_DBUS_OBJECT (object));
}

/* ---- tests -------------------------------------------------------------- */

static void
test_registration_object (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsDBusRegistration) reg = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 1);
  wait_signal (f, "InterfacesAdded " ROOT);

  reg = registration (f, 1);
  g_assert_cmpstr (sws_dbus_registration_get_aor (reg), ==, "sip:alice@example.com");
  g_assert_cmpstr (sws_dbus_registration_get_contact (reg), ==,
                   "sip:alice@alice.invalid;transport=ws");
  g_assert_true (g_str_has_prefix (sws_dbus_registration_get_remote_address (reg), "127.0.0.1:"));
  g_assert_cmpstr (sws_dbus_registration_get_transport (reg), ==, "WS");
  g_assert_cmpuint (sws_dbus_registration_get_expires (reg), >, now + 590 * G_USEC_PER_SEC);

  g_assert_true (sws_dbus_manager_call_lookup_aor_sync (f->server, "alice@example.com",
                                                        G_DBUS_CALL_FLAGS_NONE, -1, &paths,
                                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (paths[0], ==, ROOT "/Registration/1");
  g_assert_null (paths[1]);
}

static void
test_refresh_is_quiet (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cseq = NULL;

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 1);
  for (guint i = 2; i <= 30; i++)
    sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", i);
  sws_test_sleep (200);
  /* SPEC: refreshes emit nothing on the bus, but reading gives the news. */
  g_assert_cmpuint (count_signals (f, "PropertiesChanged"), ==, 0);
  g_assert_cmpuint (count_signals (f, "InterfacesAdded"), ==, 1);
  cseq = g_dbus_connection_call_sync (f->conn, BUS_NAME, ROOT "/Registration/1",
                                      "org.freedesktop.DBus.Properties", "Get",
                                      g_variant_new ("(ss)", "org.sipws.Server1.Registration",
                                                     "CSeq"),
                                      G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                      NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) v = NULL;

    g_variant_get (cseq, "(v)", &v);
    g_assert_cmpuint (g_variant_get_uint32 (v), ==, 30);
  }
}

static void
test_connection_closed (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 1);
  sws_test_client_close (alice);
  wait_objects (f, "Registration", 0);
  wait_signal (f, "Removed " ROOT "/Registration/1 (3,)");
  wait_signal (f, "InterfacesRemoved " ROOT);
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(SwsDBusRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) r = NULL;

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  sws_test_ua_register (bob, "sip:bob@example.com", "sip:bob@bob.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 2);
  reg = registration (f, 2);
  g_assert_cmpstr (sws_dbus_registration_get_aor (reg), ==, "sip:bob@example.com");

  g_assert_true (sws_dbus_registration_call_remove_sync (reg, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  wait_objects (f, "Registration", 1);
  wait_signal (f, "Removed " ROOT "/Registration/2 (5,)");

  /* bob is known but has no binding now: 480 */
  sws_test_client_send (alice, invite_text);
  trying = sws_test_ua_recv (alice);
  r = trying->status == 100 ? sws_test_ua_recv (alice) : sws_sip_message_ref (trying);
  g_assert_cmpuint (r->status, ==, 480);
}

static gboolean
call_state_is (gpointer user_data)
{
  gpointer *d = user_data;

  return sws_dbus_call_get_state (d[0]) == GPOINTER_TO_UINT (d[1]);
}

static void
wait_call_state (SwsDBusCall *call, guint state)
{
  gpointer d[2] = { call, GUINT_TO_POINTER (state) };

  if (!sws_test_iterate_until (NULL, 3000, call_state_is, d))
    g_error ("call state %u, expected %u", sws_dbus_call_get_state (call), state);
}

static void
test_call_states (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(SwsDBusCall) call = NULL;
  g_autoptr(SwsSipMessage) bye = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *rr = NULL;
  g_autofree char *bye_text = NULL;
  g_autofree char *ack_text = NULL;

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  sws_test_ua_register (bob, "sip:bob@example.com", "sip:bob@bob.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 2);

  rr = establish_call (alice, bob);
  wait_objects (f, "Call", 1);
  call = call_object (f, 1);
  wait_call_state (call, 4);
  g_assert_cmpstr (sws_dbus_call_get_call_id (call), ==, "dbus-call-1");
  g_assert_cmpstr (sws_dbus_call_get_caller (call), ==, "sip:alice@example.com");
  g_assert_cmpstr (sws_dbus_call_get_callee (call), ==, "sip:bob@example.com");
  g_assert_cmpstr (sws_dbus_call_get_caller_registration (call), ==, ROOT "/Registration/1");
  g_assert_cmpstr (sws_dbus_call_get_callee_registration (call), ==, ROOT "/Registration/2");
  g_assert_cmpuint (sws_dbus_call_get_answer_time (call), >, 0);
  g_assert_cmpuint (sws_dbus_call_get_state_reason (call), ==, 3);

  ack_text = g_strdup_printf ("ACK sip:bob@bob.invalid;transport=ws SIP/2.0\r\n"
                              "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKack1\r\n"
                              "Route: %s\r\nMax-Forwards: 70\r\n"
                              "To: <sip:bob@example.com>;tag=calleetag\r\n"
                              "From: <sip:alice@example.com>;tag=callertag\r\n"
                              "Call-ID: dbus-call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n",
                              rr);
  sws_test_client_send (alice, ack_text);
  g_free (sws_test_client_recv (bob, SWS_TEST_RECV_TIMEOUT_MS));
  bye_text = g_strdup_printf ("BYE sip:bob@bob.invalid;transport=ws SIP/2.0\r\n"
                              "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKbye1\r\n"
                              "Route: %s\r\nMax-Forwards: 70\r\n"
                              "To: <sip:bob@example.com>;tag=calleetag\r\n"
                              "From: <sip:alice@example.com>;tag=callertag\r\n"
                              "Call-ID: dbus-call-1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
                              rr);
  sws_test_client_send (alice, bye_text);
  bye = sws_test_ua_recv (bob);
  g_assert_cmpuint (bye->method, ==, SWS_METHOD_BYE);
  respond (bob, bye, 200, "OK", NULL);
  ok = sws_test_ua_recv (alice);
  g_assert_cmpuint (ok->status, ==, 200);

  wait_call_state (call, 7);
  g_assert_cmpuint (sws_dbus_call_get_terminated_by (call), ==, 1);
  g_assert_cmpuint (sws_dbus_call_get_termination_code (call), ==, 200);
  g_assert_cmpuint (sws_dbus_call_get_end_time (call), >=, sws_dbus_call_get_answer_time (call));
  /* dialing → ringing-out → active → terminated, each with a signal */
  wait_signal (f, "StateChanged " ROOT "/Call/1 (4, 7, 4)");
  g_assert_cmpuint (count_signals (f, "StateChanged " ROOT "/Call/1 (1, 2,"), ==, 1);
  g_assert_cmpuint (count_signals (f, "StateChanged " ROOT "/Call/1 (2, 4, 3)"), ==, 1);
}

static void
test_call_hangup (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(SwsDBusCall) call = NULL;
  g_autoptr(SwsSipMessage) bye_a = NULL;
  g_autoptr(SwsSipMessage) bye_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rr = NULL;
  g_autofree char *remote = NULL;

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  sws_test_ua_register (bob, "sip:bob@example.com", "sip:bob@bob.invalid;transport=ws", 1);
  rr = establish_call (alice, bob);
  wait_objects (f, "Call", 1);
  call = call_object (f, 1);
  wait_call_state (call, 4);

  g_assert_true (sws_dbus_call_call_hangup_sync (call, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  /* Hangup really reaches the clients: a BYE to each side. */
  bye_a = sws_test_ua_recv (alice);
  bye_b = sws_test_ua_recv (bob);
  g_assert_cmpuint (bye_a->method, ==, SWS_METHOD_BYE);
  g_assert_cmpuint (bye_b->method, ==, SWS_METHOD_BYE);
  wait_call_state (call, 7);
  g_assert_cmpuint (sws_dbus_call_get_terminated_by (call), ==, 3);

  g_assert_false (sws_dbus_call_call_hangup_sync (call, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_true (g_dbus_error_is_remote_error (error));
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, "org.sipws.Server1.Error.WrongState");
}

static void
test_manager (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(GVariant) reply = NULL;

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 1);
  g_assert_cmpstr (sws_dbus_manager_get_version (f->server), !=, NULL);
  g_assert_cmpstr (sws_dbus_manager_get_listen_uris (f->server)[0], ==, f->uri);

  /* counters are read live (no change signals): fetch them afresh */
  reply = g_dbus_connection_call_sync (f->conn, BUS_NAME, ROOT, "org.freedesktop.DBus.Properties",
                                       "GetAll", g_variant_new ("(s)", "org.sipws.Server1.Manager"),
                                       G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) props = g_variant_get_child_value (reply, 0);
    guint32 regs = 0, conns = 0;
    guint64 received = 0;

    g_assert_true (g_variant_lookup (props, "RegistrationCount", "u", &regs));
    g_assert_true (g_variant_lookup (props, "ConnectionCount", "u", &conns));
    g_assert_true (g_variant_lookup (props, "MessagesReceived", "t", &received));
    g_assert_cmpuint (regs, ==, 1);
    g_assert_cmpuint (conns, ==, 1);
    g_assert_cmpuint (received, >=, 1);
  }

  g_assert_false (sws_dbus_manager_call_lookup_aor_sync (f->server, "nobody@example.com",
                                                         G_DBUS_CALL_FLAGS_NONE, -1, &paths,
                                                         NULL, &error));
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, "org.sipws.Server1.Error.NotFound");
  g_clear_error (&error);
  g_clear_pointer (&remote, g_free);
  g_assert_false (sws_dbus_manager_call_lookup_aor_sync (f->server, "http://x",
                                                         G_DBUS_CALL_FLAGS_NONE, -1, &paths,
                                                         NULL, &error));
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, "org.sipws.Server1.Error.InvalidArgs");
  g_clear_error (&error);

  g_assert_true (sws_dbus_manager_call_reload_sync (f->server, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
}

static void
test_busctl (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  const char *address = g_test_dbus_get_bus_address (f->bus);
  struct {
    const char *args;
    const char *expect;
  } cases[] = {
    { "tree " BUS_NAME, ROOT "/Registration/1" },
    { "introspect " BUS_NAME " " ROOT, "LookupAor" },
    { "introspect " BUS_NAME " " ROOT "/Registration/1", ".Remove" },
    { "call " BUS_NAME " " ROOT " org.sipws.Server1.Manager LookupAor s alice@example.com",
      "ao 1 \"" ROOT "/Registration/1\"" },
    { "get-property " BUS_NAME " " ROOT " org.sipws.Server1.Manager RegistrationCount", "u 1" },
  };

  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  wait_objects (f, "Registration", 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cmd = g_strdup_printf ("busctl --address=%s %s", address, cases[i].args);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_assert_true (g_spawn_command_line_sync (cmd, &out, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL) || strstr (out, cases[i].expect) == NULL)
        g_error ("`%s` gave:\n%s%s", cmd, out, err);
    }
}

static void
test_no_bus (void)
{
  Fixture f = { 0 };
  g_autoptr(SwsTestClient) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *log = NULL;

  /* No session bus: SIP service goes on and the log says so once. */
  config = start_daemon (&f, "unix:path=/nonexistent/sws-no-bus");
  g_assert_true (poll_until (5000, tcp_ready, &f));
  alice = client (&f);
  sws_test_ua_register (alice, "sip:alice@example.com", "sip:alice@alice.invalid;transport=ws", 1);
  g_subprocess_send_signal (f.daemon, SIGTERM);
  g_subprocess_wait_check (f.daemon, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (f.log_path, &log, NULL, NULL);
  g_assert_nonnull (strstr (log, "No session bus"));
  g_unlink (config);
  g_unlink (f.log_path);
  g_free (f.log_path);
  g_free (f.uri);
  g_clear_object (&f.daemon);
}

int
main (int argc, char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/sws/dbus/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("registration-object", test_registration_object);
  ADD ("refresh-is-quiet", test_refresh_is_quiet);
  ADD ("connection-closed", test_connection_closed);
  ADD ("remove", test_remove);
  ADD ("call-states", test_call_states);
  ADD ("call-hangup", test_call_hangup);
  ADD ("manager", test_manager);
  ADD ("busctl", test_busctl);
  g_test_add_func ("/sws/dbus/no-bus", test_no_bus);

  return g_test_run ();
}
