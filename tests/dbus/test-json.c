/* test-json.c: the one JSON shape of D-Bus objects */

#include "sws-json.h"

static void
test_keys (void)
{
  const char *cases[][2] = {
    { "CallId", "call_id" }, { "CSeq", "cseq" }, { "ListenUris", "listen_uris" },
    { "RegId", "reg_id" }, { "Q", "q" }, { "StateReason", "state_reason" },
    { "MessagesReceived", "messages_received" }, { "Aor", "aor" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = sws_json_key_from_property (cases[i][0]);

      g_assert_cmpstr (key, ==, cases[i][1]);
    }
}

static void
test_object (void)
{
  g_autoptr(GVariant) props = g_variant_ref_sink (g_variant_new_parsed (
    "{'CallId': <'abc'>, 'CSeq': <uint32 7>, 'Expires': <uint64 1795591569758346>, "
    "'Q': <0.5>, 'ListenUris': <['ws://127.0.0.1:5066']>, "
    "'CallerRegistration': <objectpath '/'>, "
    "'CalleeRegistration': <objectpath '/org/sipws/Server1/Registration/2'>}"));
  g_autoptr(JsonNode) node = sws_json_object_from_properties ("/org/sipws/Server1/Call/1", props);
  JsonObject *o = json_node_get_object (node);
  g_autofree char *text = sws_json_to_string (node, FALSE);

  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, "/org/sipws/Server1/Call/1");
  g_assert_cmpstr (json_object_get_string_member (o, "call_id"), ==, "abc");
  g_assert_cmpint (json_object_get_int_member (o, "cseq"), ==, 7);
  /* µs timestamps stay exact */
  g_assert_cmpint (json_object_get_int_member (o, "expires"), ==, 1795591569758346);
  g_assert_cmpfloat (json_object_get_double_member (o, "q"), ==, 0.5);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "listen_uris"), 0),
                   ==, "ws://127.0.0.1:5066");
  g_assert_true (json_object_get_null_member (o, "caller_registration"));
  g_assert_cmpstr (json_object_get_string_member (o, "callee_registration"), ==,
                   "/org/sipws/Server1/Registration/2");
  g_assert_true (g_str_has_suffix (text, "}\n"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/json/keys", test_keys);
  g_test_add_func ("/sws/json/object", test_object);

  return g_test_run ();
}
