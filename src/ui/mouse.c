/* ui/mouse.c — what a click means where it lands: in a pane it activates the pane and moves the
 * cursor to the row (a double click, or a click on the cursor's row, enters it like Enter; a
 * right click toggles the selection, as in mc); the wheel moves three rows; a click on the
 * function-key bar presses that key. Every effect runs an action of the one action table.
 * Must not: call curses (ui/display reads the events) or act while a dialog waits for keys. */
#include "ui/app.h"
#include "ui/actions.h"

#define WHEEL_ROWS 3

static void run(UiApp *app, const char *command)
{
        ui_app_run_line(app, command);
}

static void wheel(UiApp *app, const UiMouse *m)
{
        UiKey key = m->kind == UI_MOUSE_WHEEL_UP ? UI_KEY_UP : UI_KEY_DOWN;
        for (int i = 0; i < WHEEL_ROWS; i++)
                ui_app_handle_key(app, key);
}

static void click_fkey(UiApp *app, const UiMouse *m)
{
        int slot = MAX(app->width / 10, 1);
        int n = MIN(m->x / slot, 9) + 1;
        ui_app_handle_key(app, UI_KEY_F(n));
}

static void click_pane(UiApp *app, const UiMouse *m)
{
        gboolean left = m->x < app->width / 2;
        UiPaneSide side = left != app->swapped ? UI_PANE_LOCAL : UI_PANE_REMOTE;
        gboolean was_active = side == app->active;
        if (!was_active)
                run(app, "switch-pane");
        if (m->kind == UI_MOUSE_WHEEL_UP || m->kind == UI_MOUSE_WHEEL_DOWN) {
                wheel(app, m);
                return;
        }
        UiPane *pane = ui_app_active_pane(app);
        int index = pane->top + m->y - 1; /* row 0 is the pane's header */
        if (m->y < 1 || !pane->path || index >= (int)pane->entries->len)
                return;
        gboolean on_cursor = was_active && index == pane->cursor;
        g_autofree char *to = g_strdup_printf("cursor-to %d", index + 1);
        run(app, to);
        if (m->kind == UI_MOUSE_RIGHT) {
                run(app, "select");
                run(app, to); /* the cursor stays where the user clicked */
                return;
        }
        if (m->kind == UI_MOUSE_DOUBLE || on_cursor)
                run(app, "enter");
}

void ui_app_handle_mouse(UiApp *app, const UiMouse *m)
{
        if (app->mode == UI_MODE_DIALOG || app->width < 1)
                return;
        if (app->mode == UI_MODE_HELP || app->mode == UI_MODE_LOG) {
                if (m->kind == UI_MOUSE_WHEEL_UP || m->kind == UI_MOUSE_WHEEL_DOWN)
                        wheel(app, m);
                return;
        }
        if (m->y == app->height - 1 && m->kind == UI_MOUSE_CLICK) {
                click_fkey(app, m);
                return;
        }
        if (app->mode != UI_MODE_PANES || app->queue_view)
                return;
        if (m->y < ui_screen_pane_height(app))
                click_pane(app, m);
}
