/* tests/unit/test-agent-conf.c — clamav-agent's settings (agent/conf.c, agent/clamopts.c): clamd's
 * defaults, the libclamav scan options and database options the names turn on and off, clamd's
 * older names, repeatable settings, and the reasons given for clamd settings the agent lacks. */
#include <clamav.h>
#include <glib.h>
#include <string.h>

#include "agent/clamopts.h"
#include "agent/conf.h"

static gboolean set(AgentConf *conf, const char *name, const char *value, GError **error)
{
        return agent_conf_set(conf, name, value, error);
}

static void test_defaults(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        for (int i = 0; i < AGENT_CLAM_SETTINGS; i++)
                g_assert_cmpint(conf->clam[i], ==, -1);
        g_assert_false(conf->follow_file_symlinks);
        g_assert_false(conf->follow_directory_symlinks);
        g_assert_true(conf->cross_filesystems);
        g_assert_cmpuint(conf->max_directory_recursion, ==, 15);
        g_assert_true(conf->allow_all_match_scan);
        g_assert_null(conf->virus_event);
        g_assert_cmpuint(conf->exclude_path->len, ==, 0);
        struct cl_scan_options o = { 0 };
        o.parse = ~0u;
        agent_clamopts_scan_options(conf->clam, &o);
        /* clamd's defaults: every parser, heuristic alerts, no precedence, no all-match */
        g_assert_cmphex(o.parse & CL_SCAN_PARSE_ONENOTE, ==, CL_SCAN_PARSE_ONENOTE);
        g_assert_cmphex(o.general & CL_SCAN_GENERAL_HEURISTICS, ==, CL_SCAN_GENERAL_HEURISTICS);
        g_assert_cmphex(o.general & CL_SCAN_GENERAL_HEURISTIC_PRECEDENCE, ==, 0);
        g_assert_cmphex(o.general & CL_SCAN_GENERAL_ALLMATCHES, ==, 0);
        g_assert_cmphex(o.mail & CL_SCAN_MAIL_PARTIAL_MESSAGE, ==, 0);
        g_assert_cmphex(o.heuristic & CL_SCAN_HEURISTIC_STRUCTURED_SSN_NORMAL, !=, 0);
        unsigned int db = agent_clamopts_db_options(conf->clam, CL_DB_STDOPT);
        g_assert_cmphex(db & CL_DB_PUA, ==, 0);
        g_assert_cmphex(db & CL_DB_PHISHING, ==, CL_DB_PHISHING);
}

static void test_scan_options(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_assert_true(set(conf, "ScanOneNote", "no", NULL));
        g_assert_true(set(conf, "heuristicscanprecedence", "yes", NULL)); /* names: any case */
        g_assert_true(set(conf, "ScanPartialMessages", "yes", NULL));
        g_assert_true(set(conf, "AlertOLE2Macros", "true", NULL));
        g_assert_true(set(conf, "DetectPUA", "yes", NULL));
        g_assert_true(set(conf, "PhishingSignatures", "no", NULL));
        struct cl_scan_options o = { 0 };
        o.parse = ~0u;
        agent_clamopts_scan_options(conf->clam, &o);
        g_assert_cmphex(o.parse & CL_SCAN_PARSE_ONENOTE, ==, 0);
        g_assert_cmphex(o.parse & CL_SCAN_PARSE_PDF, ==, CL_SCAN_PARSE_PDF);
        g_assert_cmphex(o.general & CL_SCAN_GENERAL_HEURISTIC_PRECEDENCE, !=, 0);
        g_assert_cmphex(o.mail & CL_SCAN_MAIL_PARTIAL_MESSAGE, !=, 0);
        g_assert_cmphex(o.heuristic & CL_SCAN_HEURISTIC_MACROS, !=, 0);
        unsigned int db = agent_clamopts_db_options(conf->clam, CL_DB_STDOPT);
        g_assert_cmphex(db & CL_DB_PUA, ==, CL_DB_PUA);
        g_assert_cmphex(db & CL_DB_PHISHING, ==, 0);
}

static void test_values(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(set(conf, "MaxHTMLNormalize", "10M", NULL));
        g_assert_cmpint(conf->clam[agent_clamopts_find("MaxHTMLNormalize")], ==, 10 << 20);
        g_assert_true(set(conf, "BytecodeMode", "ForceInterpreter", NULL));
        g_assert_cmpint(conf->clam[agent_clamopts_find("BytecodeMode")], ==, 2);
        g_assert_true(set(conf, "BytecodeSecurity", "Paranoid", NULL));
        g_assert_cmpint(conf->clam[agent_clamopts_find("BytecodeSecurity")], ==, 2);
        g_assert_false(set(conf, "BytecodeMode", "Fast", &error));
        g_assert_nonnull(strstr(error->message, "BytecodeMode"));
        g_clear_error(&error);
        g_assert_false(set(conf, "ScanPE", "perhaps", &error));
        g_clear_error(&error);
        g_assert_false(set(conf, "PCREMatchLimit", "-1", &error));
}

static void test_aliases(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_assert_true(set(conf, "AlgorithmicDetection", "no", NULL));
        g_assert_cmpint(conf->clam[agent_clamopts_find("HeuristicAlerts")], ==, 0);
        g_assert_true(set(conf, "ArchiveBlockEncrypted", "no", NULL));
        g_assert_false(conf->alert_encrypted_archive);
}

static void test_repeatable(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(set(conf, "ExcludePath", "^/proc/", NULL));
        g_assert_true(set(conf, "ExcludePath", "\\.tmp$", NULL));
        g_assert_cmpuint(conf->exclude_path->len, ==, 2);
        g_assert_true(g_regex_match(conf->exclude_path->pdata[1], "/a/b.tmp", 0, NULL));
        g_assert_false(set(conf, "ExcludePath", "(", &error));
        g_clear_error(&error);
        g_assert_true(set(conf, "ExcludePUA", "Win", NULL));
        g_assert_true(set(conf, "ExcludePUA", "Unix", NULL));
        g_assert_cmpstr(conf->pua_categories, ==, ".Win.Unix.");
        g_assert_false(conf->pua_include);
        g_assert_false(set(conf, "IncludePUA", "Tool", &error)); /* not both, as clamd */
}

static void test_absent(void)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_autoptr(GError) error = NULL;
        static const char *const absent[] = { "User", "SelfCheck", "OnAccessPrevention",
                                              "DevACOnly", "ArchiveMaxFiles", "LocalSocketGroup" };
        for (gsize i = 0; i < G_N_ELEMENTS(absent); i++) {
                g_assert_false(set(conf, absent[i], "1", &error));
                g_assert_nonnull(strstr(error->message, "is not one of clamav-agent's: "));
                g_assert_nonnull(strstr(error->message, absent[i]));
                g_clear_error(&error);
        }
        g_assert_false(set(conf, "NoSuchSetting", "1", &error));
        g_assert_nonnull(strstr(error->message, "unknown setting"));
}

/* TLS belongs to the TCP listener: a certificate needs its key and a TCPSocket, a client CA a
 * certificate; each rule broken is refused by name. */
static void test_tls(void)
{
        static const struct {
                const char *lines[4][2];
                const char *says; /* NULL: valid */
        } cases[] = {
                { { { "TCPSocket", "3310" }, { "TLSCertificateFile", "/c.pem" }, { "TLSKeyFile", "/c.key" } }, NULL },
                { { { "TCPSocket", "3310" }, { "TLSCertificateFile", "/c.pem" } }, "TLSKeyFile" },
                { { { "TCPSocket", "3310" }, { "TLSClientCA", "/ca.pem" } }, "TLSClientCA" },
                { { { "TLSCertificateFile", "/c.pem" }, { "TLSKeyFile", "/c.key" } }, "TCPSocket" },
                { { { "TCPSocket", "3310" }, { "TLSCertificateFile", "/c.pem" }, { "TLSKeyFile", "/c.key" },
                    { "TLSHandshakeTimeout", "0" } }, "TLSHandshakeTimeout" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autoptr(AgentConf) conf = agent_conf_new();
                g_autoptr(GError) error = NULL;
                for (gsize l = 0; l < G_N_ELEMENTS(cases[i].lines) && cases[i].lines[l][0]; l++)
                        g_assert_true(set(conf, cases[i].lines[l][0], cases[i].lines[l][1], NULL));
                gboolean valid = agent_conf_validate(conf, &error);
                g_assert_cmpint(valid, ==, cases[i].says == NULL);
                if (cases[i].says)
                        g_assert_nonnull(strstr(error->message, cases[i].says));
        }
        g_autoptr(AgentConf) conf = agent_conf_new();
        g_assert_cmpuint(conf->tls_handshake_timeout, ==, 10);
        g_assert_null(conf->tls_certificate_file);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/agent/conf/clamd-defaults", test_defaults);
        g_test_add_func("/agent/conf/scan-and-database-options", test_scan_options);
        g_test_add_func("/agent/conf/values-checked", test_values);
        g_test_add_func("/agent/conf/older-names", test_aliases);
        g_test_add_func("/agent/conf/repeatable-settings", test_repeatable);
        g_test_add_func("/agent/conf/absent-settings-say-why", test_absent);
        g_test_add_func("/agent/conf/tls-belongs-to-the-tcp-listener", test_tls);
        return g_test_run();
}
