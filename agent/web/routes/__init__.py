"""The dashboard's routes, one module per area of the page.

:mod:`.auth` (sign in and out), :mod:`.talk` (instructions, answers, corrections),
:mod:`.week` (the calendar and editing instructions), :mod:`.home_now` (the home, the
robot's beliefs, the emergency stop), :mod:`.approvals`, :mod:`.history` (memory, the
shopping list, tasks and replays), :mod:`.people`, :mod:`.live` (server-sent events).
"""
