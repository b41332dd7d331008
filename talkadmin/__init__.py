import numbers  # noqa: F401 - loaded first here so the app folder can be lent to it
from core.numbers_package import lend_app_folder_to_standard_module

lend_app_folder_to_standard_module()
