"""The security apps under Russian names in the Department's admin (the apps' own configs name them «Axes»,
«Otp_Totp»). ``INSTALLED_APPS`` lists these configs instead of the apps' defaults; labels and behaviour stay theirs."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Защита входа"


class OTPTOTPConfig(TOTPAppConfig):
    verbose_name = "Второй фактор входа"
