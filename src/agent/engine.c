/* agent/engine.c — one compiled libclamav engine, shared by every scanning thread, refcounted.
 * Owns: cl_init, cl_load/cl_engine_compile, the scan options (heuristic alerts on by default) and
 * limits, and the mapping of cl_error_t to OK/FOUND/ERROR. Must not: touch sockets or replies,
 * report OK for anything libclamav did not scan (non-regular descriptors are refused). */
#include "config.h"
#include "agent/engine.h"
#include "agent/hugepages.h"
#include "agent/log.h"
#include "common/i18n.h"

#include <inttypes.h>
#include <clamav.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct AgentEngine {
        gint refcount;
        struct cl_engine *cl;
        struct cl_scan_options options;
        guint signatures;
        gint64 loaded_at;
        char *scratch;        /* libclamav's scratch directory, NULL: libclamav's default */
};

void agent_scan_result_clear(AgentScanResult *result)
{
        g_clear_pointer(&result->signature, g_free);
        g_clear_pointer(&result->reason, g_free);
        g_clear_pointer(&result->matches, g_ptr_array_unref);
}

/* The scan running on this thread: libclamav reports some failures only as an error message and
 * still returns CL_CLEAN (e.g. "Can't create temporary directory for scan" when
 * TemporaryDirectory was removed: an archive is then not extracted, and its members not
 * scanned). Such a scan is not OK. */
typedef struct {
        char *first_error;
} ScanWatch;

static __thread ScanWatch *current_scan;

/* One scan's inputs and what libclamav said; the callbacks' context. */
typedef struct {
        int fd;          /* scanned when map is NULL */
        cl_fmap_t *map;
        const char *name;
        AgentScanFlags flags;
        const char *virname;
        unsigned long scanned;
        GPtrArray *matches; /* AGENT_SCAN_ALL_MATCHES: every name libclamav reported */
        ScanWatch watch;
} ScanRun;

/* libclamav calls this for each match; in all-match mode once per signature. */
static void on_virus_found(int fd, const char *virname, void *context)
{
        ScanRun *run = context;
        (void)fd;
        if (run && run->matches && virname)
                g_ptr_array_add(run->matches, g_strdup(virname));
}

static void on_libclamav_message(enum cl_msg severity, const char *fullmsg, const char *msg,
                                 void *context)
{
        g_autofree char *text = g_strchomp(g_strdup(msg ? msg : fullmsg));
        if (severity != CL_MSG_ERROR) {
                agent_log(AGENT_LOG_DEBUG, "libclamav: %s", text);
                return;
        }
        agent_log(AGENT_LOG_WARNING, "libclamav: %s", text);
        if (current_scan && !current_scan->first_error)
                current_scan->first_error = g_strdup(text);
}

gboolean agent_engine_global_init(GError **error)
{
        cl_set_clcb_msg(on_libclamav_message);
        cl_error_t rc = cl_init(CL_INIT_DEFAULT);
        if (rc == CL_SUCCESS)
                return TRUE;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE, _("libclamav failed to initialise: %s"),
                    cl_strerror(rc));
        return FALSE;
}

static void options_from_conf(struct cl_scan_options *o, const AgentConf *conf)
{
        memset(o, 0, sizeof(*o));
        /* clamd's defaults: every parser on, heuristic alerts on; then the Scan…, Alert…,
         * Heuristic… settings (agent/clamopts.c). */
        o->general = CL_SCAN_GENERAL_HEURISTICS;
        o->parse = ~0u;
        agent_clamopts_scan_options(conf->clam, o);
        if (conf->alert_exceeds_max)
                o->heuristic |= CL_SCAN_HEURISTIC_EXCEEDS_MAX;
        if (conf->alert_encrypted_archive)
                o->heuristic |= CL_SCAN_HEURISTIC_ENCRYPTED_ARCHIVE;
        if (conf->alert_encrypted_doc)
                o->heuristic |= CL_SCAN_HEURISTIC_ENCRYPTED_DOC;
}

static gboolean set_limits(struct cl_engine *cl, const AgentConf *conf, GError **error)
{
        struct { enum cl_engine_field f; long long v; const char *name; } limits[] = {
                { CL_ENGINE_MAX_FILESIZE, (long long)conf->max_file_size, "MaxFileSize" },
                { CL_ENGINE_MAX_SCANSIZE, (long long)conf->max_scan_size, "MaxScanSize" },
                { CL_ENGINE_MAX_RECURSION, conf->max_recursion, "MaxRecursion" },
                { CL_ENGINE_MAX_FILES, conf->max_files, "MaxFiles" },
                { CL_ENGINE_MAX_SCANTIME, conf->max_scan_time, "MaxScanTime" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(limits); i++) {
                cl_error_t rc = cl_engine_set_num(cl, limits[i].f, limits[i].v);
                if (rc == CL_SUCCESS)
                        continue;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("libclamav refused %s = %lld: %s"), limits[i].name, limits[i].v,
                            cl_strerror(rc));
                return FALSE;
        }
        if (!agent_clamopts_engine(conf->clam, cl, error))
                return FALSE;
        if (conf->pua_categories) {
                cl_error_t rc = cl_engine_set_str(cl, CL_ENGINE_PUA_CATEGORIES,
                                                  conf->pua_categories);
                if (rc != CL_SUCCESS) {
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                                    _("libclamav refused the PUA categories %s: %s"),
                                    conf->pua_categories, cl_strerror(rc));
                        return FALSE;
                }
        }
        const char *scratch = conf->scratch_directory;
        if (scratch && *scratch && g_strcmp0(scratch, "auto") != 0) {
                cl_error_t rc = cl_engine_set_str(cl, CL_ENGINE_TMPDIR, scratch);
                if (rc != CL_SUCCESS) {
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                                    _("libclamav refused the scratch directory %s: %s"),
                                    scratch, cl_strerror(rc));
                        return FALSE;
                }
        }
        return TRUE;
}

static gboolean check_directory(const char *dir, GError **error)
{
        GStatBuf st;
        if (g_stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("the signature directory %s does not exist; run freshclam to "
                              "download the signatures, or start with --db <dir> (for a test run, "
                              "the project's data/signatures)"), dir);
                return FALSE;
        }
        return TRUE;
}

static gboolean has_database_files(const char *dir)
{
        static const char *const exts[] = {
                ".cvd", ".cld", ".cud", ".hdb", ".hsb", ".hdu", ".hsu", ".mdb", ".msb", ".mdu",
                ".msu", ".ndb", ".ndu", ".ldb", ".ldu", ".idb", ".cdb", ".cbc", ".pdb", ".gdb",
                ".wdb", ".ftm", ".crb", ".yar", ".yara", ".imp", ".fp", ".sfp", ".db",
        };
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d)))
                for (gsize i = 0; i < G_N_ELEMENTS(exts); i++)
                        if (g_str_has_suffix(name, exts[i]))
                                return TRUE;
        return FALSE;
}

/* FailIfCvdOlderThan: clamd refuses to start (or to reload) on signatures that old. */
static gboolean check_age(const char *dir, guint days, GError **error)
{
        time_t age = 0;
        if (days == 0)
                return TRUE;
        cl_error_t rc = cl_cvdgetage(dir, &age);
        if (rc != CL_SUCCESS) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("cannot tell how old the signatures in %s are: %s"), dir,
                            cl_strerror(rc));
                return FALSE;
        }
        if ((guint64)age <= (guint64)days * 86400)
                return TRUE;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                    _("the signatures in %s are %u days old, more than FailIfCvdOlderThan %u; run "
                      "freshclam"), dir, (guint)(age / 86400), days);
        return FALSE;
}

static gboolean load(AgentEngine *engine, const AgentConf *conf, GError **error)
{
        const char *dir = conf->database_directory;
        unsigned int dbopts = agent_clamopts_db_options(conf->clam, CL_DB_STDOPT);
        if (!conf->bytecode)
                dbopts &= ~CL_DB_BYTECODE;
        if (conf->pua_categories && (dbopts & CL_DB_PUA))
                dbopts |= conf->pua_include ? CL_DB_PUA_INCLUDE : CL_DB_PUA_EXCLUDE;
        if (!check_directory(dir, error) || !set_limits(engine->cl, conf, error))
                return FALSE;
        if (!has_database_files(dir)) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("no signatures in %s; run freshclam to download them, or start with "
                              "--db <dir> (for a test run, the project's data/signatures)"), dir);
                return FALSE;
        }
        if (!check_age(dir, conf->fail_if_cvd_older_than, error))
                return FALSE;
        cl_error_t rc = cl_load(dir, engine->cl, &engine->signatures, dbopts);
        if (rc != CL_SUCCESS) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("cannot load the signatures in %s: %s; check the files there (run "
                              "freshclam to replace damaged ones)"), dir, cl_strerror(rc));
                return FALSE;
        }
        if (engine->signatures == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("no signatures in %s; run freshclam to download them, or start with "
                              "--db <dir> (for a test run, the project's data/signatures)"), dir);
                return FALSE;
        }
        rc = cl_engine_compile(engine->cl);
        if (rc != CL_SUCCESS) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("the signatures in %s do not compile: %s"), dir, cl_strerror(rc));
                return FALSE;
        }
        return TRUE;
}

/* Thread stacks (8 MiB) stay below this; libclamav's pools for a large set are far above it. */
#define HUGE_PAGES_MIN_MAPPING (16u * 1024 * 1024)

static gpointer use_huge_pages(gpointer unused)
{
        gint64 start = g_get_monotonic_time();
        AgentHugePages hp;
        agent_hugepages_apply(HUGE_PAGES_MIN_MAPPING, &hp);
        double ms = (g_get_monotonic_time() - start) / 1000.0;
        if (hp.advised == 0 && hp.error)
                agent_log(AGENT_LOG_INFO, _("huge pages not available (%s); the engine stays on "
                                            "normal pages"), g_strerror(hp.error));
        else
                agent_log(AGENT_LOG_INFO, _("huge pages: %" PRIu64 " MiB of engine memory "
                                            "marked, %" PRIu64 " MiB collapsed in %.0f ms"),
                          (uint64_t)(hp.advised >> 20), (uint64_t)(hp.collapsed >> 20), ms);
        return NULL;
}

/* The collapse copies the engine (1–3 s for 250 MB): in the background, so the agent answers as
 * soon as the signatures are compiled; scans meanwhile are as fast as on normal pages. It
 * needs no reference: a range freed meanwhile is simply refused by the kernel. */
static void start_huge_pages(void)
{
        g_autoptr(GError) error = NULL;
        GThread *t = g_thread_try_new("agent-hugepages", use_huge_pages, NULL, &error);
        if (t)
                g_thread_unref(t);
        else
                agent_log(AGENT_LOG_INFO, _("huge pages not tried: %s"), error->message);
}

AgentEngine *agent_engine_new(const AgentConf *conf, GError **error)
{
        AgentEngine *engine = g_new0(AgentEngine, 1);
        engine->refcount = 1;
        engine->cl = cl_engine_new();
        if (!engine->cl) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_DATABASE,
                            _("libclamav could not create an engine (out of memory?)"));
                agent_engine_unref(engine);
                return NULL;
        }
        cl_engine_set_clcb_virus_found(engine->cl, on_virus_found);
        options_from_conf(&engine->options, conf);
        if (g_strcmp0(conf->scratch_directory, "auto") != 0)
                engine->scratch = g_strdup(conf->scratch_directory);
        if (!load(engine, conf, error)) {
                agent_engine_unref(engine);
                return NULL;
        }
        if (conf->huge_pages)
                start_huge_pages();
        engine->loaded_at = g_get_real_time();
        return engine;
}

AgentEngine *agent_engine_ref(AgentEngine *engine)
{
        g_atomic_int_inc(&engine->refcount);
        return engine;
}

void agent_engine_unref(AgentEngine *engine)
{
        if (!engine || !g_atomic_int_dec_and_test(&engine->refcount))
                return;
        if (engine->cl)
                cl_engine_free(engine->cl);
        g_free(engine->scratch);
        g_free(engine);
}

guint agent_engine_signatures(const AgentEngine *engine)
{
        return engine->signatures;
}

gint64 agent_engine_loaded_at(const AgentEngine *engine)
{
        return engine->loaded_at;
}

static void format_db_time(time_t t, char *date, gsize size)
{
        struct tm tm;
        date[0] = '\0';
        if (localtime_r(&t, &tm))
                strftime(date, size, "%a %b %e %H:%M:%S %Y", &tm);
}

char *agent_engine_version(const AgentEngine *engine)
{
        int err = 0;
        long long ver = cl_engine_get_num(engine->cl, CL_ENGINE_DB_VERSION, &err);
        if (err != CL_SUCCESS || ver <= 0)
                return g_strdup_printf("ClamAV %s", cl_retver());
        time_t t = (time_t)cl_engine_get_num(engine->cl, CL_ENGINE_DB_TIME, NULL);
        char date[64];
        format_db_time(t, date, sizeof(date));
        return g_strdup_printf("ClamAV %s/%lld/%s", cl_retver(), ver, date);
}

char *agent_engine_installed_version(const char *dir)
{
        static const char *const names[] = { "daily.cvd", "daily.cld" };
        guint version = 0;
        time_t when = 0;
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                g_autofree char *path = g_build_filename(dir, names[i], NULL);
                if (access(path, R_OK) != 0)
                        continue;
                struct cl_cvd *head = cl_cvdhead(path);
                if (!head)
                        continue;
                if (head->version > version) {
                        version = head->version;
                        when = (time_t)head->stime;
                }
                cl_cvdfree(head);
        }
        if (version == 0)
                return g_strdup_printf("ClamAV %s", cl_retver());
        char date[64];
        format_db_time(when, date, sizeof(date));
        return g_strdup_printf("ClamAV %s/%u/%s", cl_retver(), version, date);
}

/* libclamav 1.4 reports CL_VIRUS without a name when the whole file is over MaxFileSize and
 * the exceeds-max alert is on: name it, so the reply says why. */
static const char *unnamed_alert(const AgentEngine *engine, guint64 size)
{
        long long max = cl_engine_get_num(engine->cl, CL_ENGINE_MAX_FILESIZE, NULL);
        if (max > 0 && size > (guint64)max)
                return "Heuristics.Limits.Exceeded.MaxFileSize";
        return "Heuristics.Limits.Exceeded";
}

static void result_from(AgentScanResult *out, cl_error_t rc, const char *virname,
                        unsigned long scanned, const AgentEngine *engine, guint64 size,
                        ScanWatch *watch)
{
        memset(out, 0, sizeof(*out));
        out->scanned = (guint64)scanned * CL_COUNT_PRECISION;
        g_autofree char *error = g_steal_pointer(&watch->first_error);
        if (rc == CL_CLEAN && error) {
                out->verdict = AGENT_VERDICT_ERROR;
                gsize n = strlen(g_strchomp(error));
                if (n > 0 && error[n - 1] == '.')
                        error[n - 1] = '\0'; /* the reply adds " ERROR" */
                out->reason = g_strdup(error);
        } else if (rc == CL_CLEAN) {
                out->verdict = AGENT_VERDICT_OK;
        } else if (rc == CL_VIRUS) {
                out->verdict = AGENT_VERDICT_FOUND;
                out->signature = g_strdup(virname ? virname : unnamed_alert(engine, size));
        } else {
                /* CL_ETIMEOUT, CL_EMAXSIZE, CL_EMEM, … : the scan did not finish. */
                out->verdict = AGENT_VERDICT_ERROR;
                out->reason = g_strdup(cl_strerror(rc));
        }
}

/* libclamav's scratch directory vanished under the running agent (a /tmp cleaner, an
 * administrator): make it again. TRUE when it was missing and now exists. */
static gboolean scratch_restored(const AgentEngine *engine)
{
        if (!engine->scratch || g_file_test(engine->scratch, G_FILE_TEST_IS_DIR))
                return FALSE;
        return g_mkdir(engine->scratch, 0700) == 0;
}

static cl_error_t scan_once(AgentEngine *engine, ScanRun *run)
{
        struct cl_scan_options options = engine->options;
        g_clear_pointer(&run->watch.first_error, g_free);
        run->virname = NULL;
        run->scanned = 0;
        if (run->flags & AGENT_SCAN_ALL_MATCHES) {
                options.general |= CL_SCAN_GENERAL_ALLMATCHES;
                g_clear_pointer(&run->matches, g_ptr_array_unref);
                run->matches = g_ptr_array_new_with_free_func(g_free);
        }
        current_scan = &run->watch;
        cl_error_t rc = run->map ? cl_scanmap_callback(run->map, run->name, &run->virname,
                                                       &run->scanned, engine->cl, &options, run)
                                 : cl_scandesc_callback(run->fd, run->name, &run->virname,
                                                        &run->scanned, engine->cl, &options, run);
        current_scan = NULL;
        return rc;
}

/* One scan; once more when it failed because the scratch directory was gone and is back. */
static void scan_run(AgentEngine *engine, ScanRun *run, guint64 size, AgentScanResult *out)
{
        cl_error_t rc = scan_once(engine, run);
        if (rc != CL_VIRUS && (rc != CL_CLEAN || run->watch.first_error) &&
            scratch_restored(engine)) {
                agent_log(AGENT_LOG_WARNING, _("libclamav's scratch directory %s was removed; made "
                                               "it again and scanning once more"), engine->scratch);
                rc = scan_once(engine, run);
        }
        result_from(out, rc, run->virname, run->scanned, engine, size, &run->watch);
        if (out->verdict == AGENT_VERDICT_FOUND && run->matches && run->matches->len > 0)
                out->matches = g_steal_pointer(&run->matches);
        g_clear_pointer(&run->matches, g_ptr_array_unref);
}

void agent_engine_scan_fd(AgentEngine *engine, int fd, const char *name, AgentScanFlags flags,
                          AgentScanResult *out)
{
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
                memset(out, 0, sizeof(*out));
                out->verdict = AGENT_VERDICT_ERROR;
                out->reason = g_strdup("Not a regular file");
                return;
        }
        ScanRun run = { .fd = fd, .name = name, .flags = flags };
        scan_run(engine, &run, (guint64)st.st_size, out);
}

void agent_engine_scan_memory(AgentEngine *engine, const void *data, gsize len, const char *name,
                              AgentScanResult *out)
{
        if (len == 0) { /* nothing to scan: clamd answers OK for an empty stream too */
                memset(out, 0, sizeof(*out));
                out->verdict = AGENT_VERDICT_OK;
                return;
        }
        cl_fmap_t *map = cl_fmap_open_memory(data, len);
        if (!map) {
                memset(out, 0, sizeof(*out));
                out->verdict = AGENT_VERDICT_ERROR;
                out->reason = g_strdup("Can't map the stream in memory");
                return;
        }
        ScanRun run = { .fd = -1, .map = map, .name = name };
        scan_run(engine, &run, len, out);
        cl_fmap_close(map);
}
