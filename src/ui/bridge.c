/* ui/bridge.c — the TUI's CoreFrontend: events to the UI thread, blocking questions back.
 * Must not: call curses or touch the screen model. */
#include "ui/bridge.h"
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct UiBridge {
        CoreFrontend fe;
        GAsyncQueue *events;
        int wake_fd;

        GMutex lock;            /* guards everything below */
        GCond answered_cond;
        char *progress_name;
        guint64 progress_done;
        gint64 progress_total;
        gboolean progress_posted;  /* a PROGRESS event is queued and not yet taken */
        gint64 progress_post_time; /* when the last one was posted (monotonic µs) */
        UiRequest *request;        /* the pending one, or NULL */
        gboolean answered;
        char *answer_text;
        CoreAnswer answer;
        int choice;
        gboolean shut;
};

void ui_event_free(UiEvent *event)
{
        if (!event)
                return;
        g_free(event->text);
        if (event->payload && event->free_payload)
                event->free_payload(event->payload);
        g_free(event);
}

static void wake(UiBridge *bridge)
{
        uint64_t one = 1;
        while (write(bridge->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
                ;
}

void ui_bridge_post(UiBridge *bridge, UiEvent *event)
{
        g_async_queue_push(bridge->events, event);
        wake(bridge);
}

static void post_simple(UiBridge *bridge, UiEventType type, CoreMsgKind kind, const char *text)
{
        UiEvent *event = g_new0(UiEvent, 1);
        event->type = type;
        event->kind = kind;
        event->text = g_strdup(text);
        ui_bridge_post(bridge, event);
}

static void fe_message(CoreMsgKind kind, const char *text, gpointer data)
{
        post_simple(data, UI_EVENT_MESSAGE, kind, text);
}

/* With the lock held: TRUE when a PROGRESS event should be posted now. One queued event at a
 * time, and bytes-only changes at most every UI_BRIDGE_PROGRESS_MS: a fast transfer can neither
 * flood the queue nor keep the UI thread redrawing. */
static gboolean progress_due(UiBridge *bridge, gboolean bytes_only)
{
        if (bridge->progress_posted)
                return FALSE;
        gint64 now = g_get_monotonic_time();
        if (bytes_only && now - bridge->progress_post_time < UI_BRIDGE_PROGRESS_MS * 1000)
                return FALSE;
        bridge->progress_posted = TRUE;
        bridge->progress_post_time = now;
        return TRUE;
}

static void fe_progress(const char *name, guint64 done, gint64 total, gpointer data)
{
        UiBridge *bridge = data;
        g_mutex_lock(&bridge->lock);
        g_free(bridge->progress_name);
        bridge->progress_name = g_strdup(name);
        bridge->progress_done = done;
        bridge->progress_total = total;
        gboolean post = progress_due(bridge, TRUE);
        g_mutex_unlock(&bridge->lock);
        if (post)
                post_simple(bridge, UI_EVENT_PROGRESS, CORE_MSG_INFO, NULL);
}

void ui_bridge_scanner_state(gboolean reachable, const char *why, const char *members, gpointer bridge)
{
        UiEvent *event = g_new0(UiEvent, 1);
        event->type = UI_EVENT_SCANNER;
        event->kind = reachable ? CORE_MSG_INFO : CORE_MSG_ERROR;
        event->text = g_strdup(why);
        event->payload = g_strdup(members);
        event->free_payload = g_free;
        ui_bridge_post(bridge, event);
}

void ui_bridge_queue_changed(gboolean progress_only, gpointer data)
{
        UiBridge *bridge = data;
        g_mutex_lock(&bridge->lock);
        gboolean post = progress_due(bridge, progress_only);
        g_mutex_unlock(&bridge->lock);
        if (post)
                post_simple(bridge, UI_EVENT_PROGRESS, CORE_MSG_INFO, NULL);
}

/* Posts a request and blocks until the UI thread answers it. Returns with the lock held. */
static void wait_answer(UiBridge *bridge, UiRequest *request)
{
        g_mutex_lock(&bridge->lock);
        if (bridge->shut)
                return;
        bridge->request = request;
        bridge->answered = FALSE;
        g_mutex_unlock(&bridge->lock);
        post_simple(bridge, UI_EVENT_REQUEST, CORE_MSG_INFO, NULL);
        g_mutex_lock(&bridge->lock);
        while (!bridge->answered && !bridge->shut)
                g_cond_wait(&bridge->answered_cond, &bridge->lock);
        bridge->request = NULL;
}

static CoreAnswer fe_ask(const char *question, gpointer data)
{
        UiBridge *bridge = data;
        UiRequest request = { .is_question = TRUE, .label = (char *)question };
        wait_answer(bridge, &request);
        CoreAnswer answer = bridge->answered && !bridge->shut ? bridge->answer : CORE_ANSWER_QUIT;
        g_mutex_unlock(&bridge->lock);
        return answer;
}

static CoreCertAnswer fe_certificate(const char *server, const TlsPeerInfo *cert, const char *stored, gpointer data)
{
        UiBridge *bridge = data;
        UiRequest request = { .label = (char *)server, .cert = cert, .cert_server = server, .cert_stored = stored };
        wait_answer(bridge, &request);
        gboolean answered = bridge->answered && !bridge->shut && !stored;
        CoreCertAnswer trust = !answered ? CORE_CERT_REFUSE
                             : bridge->answer == CORE_ANSWER_YES ? CORE_CERT_TRUST
                             : bridge->answer == CORE_ANSWER_ALL ? CORE_CERT_TRUST_ONCE : CORE_CERT_REFUSE;
        g_mutex_unlock(&bridge->lock);
        return trust;
}

static char *ask_text(UiBridge *bridge, const char *label, gboolean secret, const char *initial)
{
        UiRequest request = { .label = (char *)label, .secret = secret, .initial = initial };
        wait_answer(bridge, &request);
        char *text = bridge->answered && !bridge->shut ? g_steal_pointer(&bridge->answer_text) : NULL;
        g_mutex_unlock(&bridge->lock);
        return text;
}

static char *fe_prompt(const char *label, gboolean secret, gpointer data)
{
        return ask_text(data, label, secret, NULL);
}

gboolean ui_bridge_confirm(UiBridge *bridge, const char *label, const char *heading, const GPtrArray *lines)
{
        g_autoptr(GPtrArray) none = lines ? NULL : g_ptr_array_new();
        UiRequest request = { .label = (char *)label, .list = lines ? lines : none, .list_heading = heading };
        wait_answer(bridge, &request);
        gboolean yes = bridge->answered && !bridge->shut && bridge->answer == CORE_ANSWER_YES;
        g_mutex_unlock(&bridge->lock);
        return yes;
}

CoreAnswer ui_bridge_offer(UiBridge *bridge, const char *label, const char *heading, const GPtrArray *lines,
                           const char *hints)
{
        UiRequest request = { .label = (char *)label, .list = lines, .list_heading = heading, .list_hints = hints };
        wait_answer(bridge, &request);
        CoreAnswer answer = bridge->answered && !bridge->shut ? bridge->answer : CORE_ANSWER_QUIT;
        g_mutex_unlock(&bridge->lock);
        return answer;
}

char *ui_bridge_prompt(UiBridge *bridge, const char *label, const char *initial)
{
        return ask_text(bridge, label, FALSE, initial);
}

int ui_bridge_choose(UiBridge *bridge, const char *label, const UiChoice *choices, guint n_choices)
{
        UiRequest request = { .label = (char *)label, .choices = choices, .n_choices = n_choices };
        wait_answer(bridge, &request);
        int choice = bridge->answered && !bridge->shut ? bridge->choice : -1;
        g_mutex_unlock(&bridge->lock);
        return choice;
}

/* A batch's conflict (core/conflict.h): the choice dialog, and the rename's prompt. */
static int fe_choose(const char *question, const CoreChoice *choices, guint n_choices, gpointer data)
{
        g_autofree UiChoice *ui_choices = g_new0(UiChoice, n_choices ? n_choices : 1);
        for (guint i = 0; i < n_choices; i++)
                ui_choices[i] = (UiChoice){ choices[i].key, choices[i].label };
        return ui_bridge_choose(data, question, ui_choices, n_choices);
}

static char *fe_edit(const char *label, const char *initial, gpointer data)
{
        return ui_bridge_prompt(data, label, initial);
}

UiBridge *ui_bridge_new(void)
{
        UiBridge *bridge = g_new0(UiBridge, 1);
        bridge->events = g_async_queue_new_full((GDestroyNotify)ui_event_free);
        bridge->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        g_mutex_init(&bridge->lock);
        g_cond_init(&bridge->answered_cond);
        bridge->fe.message = fe_message;
        bridge->fe.progress = fe_progress;
        bridge->fe.ask = fe_ask;
        bridge->fe.prompt = fe_prompt;
        bridge->fe.data = bridge;
        bridge->fe.certificate = fe_certificate;
        bridge->fe.certificate_data = bridge;
        bridge->fe.choose = fe_choose;
        bridge->fe.edit = fe_edit;
        bridge->fe.choose_data = bridge;
        return bridge;
}

void ui_bridge_free(UiBridge *bridge)
{
        if (!bridge)
                return;
        g_async_queue_unref(bridge->events);
        if (bridge->wake_fd >= 0)
                close(bridge->wake_fd);
        g_mutex_clear(&bridge->lock);
        g_cond_clear(&bridge->answered_cond);
        g_free(bridge->progress_name);
        g_free(bridge->answer_text);
        g_free(bridge);
}

const CoreFrontend *ui_bridge_frontend(UiBridge *bridge)
{
        return &bridge->fe;
}

int ui_bridge_fd(UiBridge *bridge)
{
        return bridge->wake_fd;
}

UiEvent *ui_bridge_take(UiBridge *bridge)
{
        UiEvent *event = g_async_queue_try_pop(bridge->events);
        if (event) {
                if (event->type == UI_EVENT_PROGRESS) {
                        g_mutex_lock(&bridge->lock);
                        bridge->progress_posted = FALSE;
                        g_mutex_unlock(&bridge->lock);
                }
                return event;
        }
        uint64_t count;
        while (read(bridge->wake_fd, &count, sizeof count) < 0 && errno == EINTR)
                ;
        /* an event pushed between the pop and the read must not be left without a wake-up */
        if (g_async_queue_length(bridge->events) > 0)
                wake(bridge);
        return NULL;
}

gboolean ui_bridge_progress(UiBridge *bridge, char **name, guint64 *done, gint64 *total)
{
        g_mutex_lock(&bridge->lock);
        gboolean have = bridge->progress_name != NULL;
        if (have) {
                *name = g_strdup(bridge->progress_name);
                *done = bridge->progress_done;
                *total = bridge->progress_total;
        }
        g_mutex_unlock(&bridge->lock);
        return have;
}

void ui_bridge_progress_clear(UiBridge *bridge)
{
        g_mutex_lock(&bridge->lock);
        g_clear_pointer(&bridge->progress_name, g_free);
        g_mutex_unlock(&bridge->lock);
}

const UiRequest *ui_bridge_request(UiBridge *bridge)
{
        g_mutex_lock(&bridge->lock);
        const UiRequest *request = bridge->answered ? NULL : bridge->request;
        g_mutex_unlock(&bridge->lock);
        return request;
}

void ui_bridge_answer(UiBridge *bridge, const char *text, CoreAnswer answer)
{
        g_mutex_lock(&bridge->lock);
        if (bridge->request && !bridge->answered) {
                g_free(bridge->answer_text);
                bridge->answer_text = g_strdup(text);
                bridge->answer = answer;
                bridge->answered = TRUE;
                g_cond_broadcast(&bridge->answered_cond);
        }
        g_mutex_unlock(&bridge->lock);
}

void ui_bridge_answer_choice(UiBridge *bridge, int index)
{
        g_mutex_lock(&bridge->lock);
        if (bridge->request && !bridge->answered) {
                bridge->choice = index;
                bridge->answered = TRUE;
                g_cond_broadcast(&bridge->answered_cond);
        }
        g_mutex_unlock(&bridge->lock);
}

void ui_bridge_shutdown(UiBridge *bridge)
{
        g_mutex_lock(&bridge->lock);
        bridge->shut = TRUE;
        g_cond_broadcast(&bridge->answered_cond);
        g_mutex_unlock(&bridge->lock);
}
