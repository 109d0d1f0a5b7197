# The browser tests' JupyterHub config file (`neglect-kit hub --config`), loaded after the kit's own: one shared
# password, made by the tests for their run, in place of the council's sign-in. `allowed_users` still decides who
# gets in (the hub's --users).
import os

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["NEGLECT_KIT_HUB_TEST_PASSWORD"]
