/* test-json.c: the one JSON shape of the D-Bus objects (src/sws-json.c)
 *
 * The same serializer feeds `sipwsctl --json` (from proxy caches) and the
 * daemon's HTTP API (from skeletons): both paths are exercised here,
 * without a bus.
 */

#include "sws-dbus-generated.h"
#include "sws-json.h"

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
test_keys (void)
{
  const char *cases[][2] = {
    { "CallId", "call_id" },
    { "CSeq", "cseq" },
    { "ListenUris", "listen_uris" },
    { "RegId", "reg_id" },
    { "Q", "q" },
    { "Aor", "aor" },
    { "StateReason", "state_reason" },
    { "CallerRegistration", "caller_registration" },
    { "MessagesReceived", "messages_received" },
    { "RemoteAddress", "remote_address" },
    { "ListenURIs", "listen_uris" },
    { "Ipv6Address", "ipv6_address" },
    { "already_snake", "already_snake" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = sws_json_key_from_property (cases[i][0]);

      g_assert_cmpstr (key, ==, cases[i][1]);
    }
}

static void
test_values (void)
{
  g_autoptr(GVariant) props = g_variant_ref_sink (g_variant_new_parsed (
    "{'CallId': <'abc'>, 'CSeq': <uint32 7>, 'Expires': <uint64 1795591569758346>, "
    "'Q': <0.5>, 'Flag': <true>, 'ListenUris': <['ws://127.0.0.1:5066']>, "
    "'Domains': <@as []>, 'Found': <[objectpath '/org/sipws/Server1/Registration/1']>, "
    "'CallerRegistration': <objectpath '/'>, "
    "'CalleeRegistration': <objectpath '/org/sipws/Server1/Registration/2'>, "
    "'Huge': <uint64 18446744073709551615>, 'Nested': <<int32 -3>>, "
    "'Extra': <{'User-Agent': <'x'>}>}"));
  g_autoptr(JsonNode) node = sws_json_object_from_properties ("/org/sipws/Server1/Call/1", props);
  JsonObject *o = object_of (node);
  JsonArray *a;

  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, "/org/sipws/Server1/Call/1");
  g_assert_cmpstr (json_object_get_string_member (o, "call_id"), ==, "abc");
  g_assert_cmpint (json_object_get_int_member (o, "cseq"), ==, 7);
  /* µs timestamps are integers and stay exact */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "expires")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (o, "expires"), ==, 1795591569758346);
  g_assert_cmpfloat (json_object_get_double_member (o, "q"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (o, "flag"));
  a = json_object_get_array_member (o, "listen_uris");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (a, 0), ==, "ws://127.0.0.1:5066");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "domains")), ==, 0);
  a = json_object_get_array_member (o, "found");
  g_assert_cmpstr (json_array_get_string_element (a, 0), ==, "/org/sipws/Server1/Registration/1");
  /* "/" is D-Bus for "no object": null in JSON */
  g_assert_true (json_object_get_null_member (o, "caller_registration"));
  g_assert_cmpstr (json_object_get_string_member (o, "callee_registration"), ==,
                   "/org/sipws/Server1/Registration/2");
  /* clamped, not wrapped to a negative number */
  g_assert_cmpint (json_object_get_int_member (o, "huge"), ==, G_MAXINT64);
  g_assert_cmpint (json_object_get_int_member (o, "nested"), ==, -3);
  /* keys inside a dictionary value are data: kept as they are */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "extra"),
                                                  "User-Agent"), ==, "x");
}

static void
test_order_and_path (void)
{
  g_autoptr(GVariant) props = g_variant_ref_sink (g_variant_new_parsed (
    "{'Version': <'0.1.0'>, 'StartTime': <uint64 1>, 'ListenUris': <['ws://[::1]:1']>}"));
  g_autoptr(JsonNode) with_path = sws_json_object_from_properties ("/org/sipws/Server1", props);
  g_autoptr(JsonNode) without_path = sws_json_object_from_properties (NULL, props);
  g_autoptr(JsonNode) empty = sws_json_object_from_properties ("/x", NULL);
  g_autoptr(GList) members = json_object_get_members (object_of (with_path));
  const char *expected[] = { "path", "version", "start_time", "listen_uris" };
  g_autofree char *line = sws_json_to_string (with_path, FALSE);
  g_autofree char *pretty = sws_json_to_string (with_path, TRUE);

  /* "path" first, then the properties in the dictionary's order */
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_list_nth_data (members, i), ==, expected[i]);
  g_assert_false (json_object_has_member (object_of (without_path), "path"));
  g_assert_cmpuint (json_object_get_size (object_of (empty)), ==, 1);

  /* one line (monitor) or pretty, both ending in a newline */
  g_assert_cmpstr (line, ==, "{\"path\":\"/org/sipws/Server1\",\"version\":\"0.1.0\","
                             "\"start_time\":1,\"listen_uris\":[\"ws://[::1]:1\"]}\n");
  g_assert_true (g_str_has_suffix (pretty, "}\n"));
  g_assert_nonnull (strstr (pretty, "\n  \"version\" : \"0.1.0\",\n"));
}

/* The daemon side: a skeleton's properties, as the HTTP API will feed
 * them. Every property of the XML comes out, with its snake_case key. */
static void
test_from_skeleton (void)
{
  g_autoptr(SwsDBusCall) call = sws_dbus_call_skeleton_new ();
  g_autoptr(GVariant) props = NULL;
  g_autoptr(JsonNode) node = NULL;
  GDBusInterfaceInfo *info = sws_dbus_call_interface_info ();
  JsonObject *o;

  sws_dbus_call_set_call_id (call, "a84b4c76e66710");
  sws_dbus_call_set_caller (call, "sip:alice@example.com");
  sws_dbus_call_set_callee (call, "sip:bob@example.com");
  sws_dbus_call_set_caller_registration (call, "/org/sipws/Server1/Registration/1");
  sws_dbus_call_set_callee_registration (call, "/");
  sws_dbus_call_set_state (call, 4);
  sws_dbus_call_set_start_time (call, G_GUINT64_CONSTANT (1795591569758346));
  sws_dbus_call_set_termination_code (call, 200);

  props = g_dbus_interface_skeleton_get_properties (G_DBUS_INTERFACE_SKELETON (call));
  node = sws_json_object_from_properties ("/org/sipws/Server1/Call/1", props);
  o = object_of (node);

  for (guint i = 0; info->properties[i] != NULL; i++)
    {
      g_autofree char *key = sws_json_key_from_property (info->properties[i]->name);

      g_assert_true (json_object_has_member (o, key));
    }
  g_assert_cmpuint (json_object_get_size (o), ==, 1 + g_strv_length ((char **) info->properties));
  g_assert_cmpstr (json_object_get_string_member (o, "call_id"), ==, "a84b4c76e66710");
  g_assert_cmpstr (json_object_get_string_member (o, "caller_registration"), ==,
                   "/org/sipws/Server1/Registration/1");
  g_assert_true (json_object_get_null_member (o, "callee_registration"));
  g_assert_cmpint (json_object_get_int_member (o, "state"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "start_time"), ==, 1795591569758346);
  g_assert_cmpint (json_object_get_int_member (o, "termination_code"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (o, "answer_time"), ==, 0);
}

/* Every property name of the interface gives a distinct, plain key. */
static void
test_interface_keys (void)
{
  GDBusInterfaceInfo *infos[] = {
    sws_dbus_manager_interface_info (),
    sws_dbus_registration_interface_info (),
    sws_dbus_call_interface_info (),
  };
  g_autoptr(GRegex) plain = g_regex_new ("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", 0, 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint p = 0; infos[i]->properties[p] != NULL; p++)
        {
          char *key = sws_json_key_from_property (infos[i]->properties[p]->name);

          g_assert_true (g_regex_match (plain, key, 0, NULL));
          g_assert_cmpstr (key, !=, "path");
          g_assert_true (g_hash_table_add (seen, key));
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/json/keys", test_keys);
  g_test_add_func ("/sws/json/values", test_values);
  g_test_add_func ("/sws/json/order-and-path", test_order_and_path);
  g_test_add_func ("/sws/json/from-skeleton", test_from_skeleton);
  g_test_add_func ("/sws/json/interface-keys", test_interface_keys);

  return g_test_run ();
}
