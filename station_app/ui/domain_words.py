"""The Qt-free layers' fixed words, translated where the interface shows them.

The services and the domain name things in Chinese (filter choices, a material's form, why a
case cannot be saved yet); lupdate reads only the interface's files, so the words are listed
here once more with `QT_TRANSLATE_NOOP` and translated at the edge. A word missing from the
lists, or a language without it, is shown as the services wrote it: never wrong, only Chinese.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_app.domain.catalogue import MaterialForm
from station_app.i18n import QT_TRANSLATE_NOOP

CONTEXT = "DomainWords"  # lupdate reads the literal in each call; this is for `word`

# The filter's choices (station_app.services.case_list STATUS_CHOICES, DATE_CHOICES), the
# district's case statuses (domain.lifecycle.CaseStatus) and the sync states' labels.
CHOICES = (
    QT_TRANSLATE_NOOP("DomainWords", "全部状态"),
    QT_TRANSLATE_NOOP("DomainWords", "⚠ 需处理"),
    QT_TRANSLATE_NOOP("DomainWords", "待上报"),
    QT_TRANSLATE_NOOP("DomainWords", "受理"),
    QT_TRANSLATE_NOOP("DomainWords", "审核中"),
    QT_TRANSLATE_NOOP("DomainWords", "补正材料"),
    QT_TRANSLATE_NOOP("DomainWords", "已办结"),
    QT_TRANSLATE_NOOP("DomainWords", "不予受理"),
    QT_TRANSLATE_NOOP("DomainWords", "已领取"),
    QT_TRANSLATE_NOOP("DomainWords", "全部日期"),
    QT_TRANSLATE_NOOP("DomainWords", "今天"),
    QT_TRANSLATE_NOOP("DomainWords", "近 7 天"),
    QT_TRANSLATE_NOOP("DomainWords", "近 30 天"),
)

FORMS = {
    MaterialForm.ORIGINAL: QT_TRANSLATE_NOOP("DomainWords", "原件"),
    MaterialForm.COPY: QT_TRANSLATE_NOOP("DomainWords", "复印件"),
    MaterialForm.ORIGINAL_AND_COPY: QT_TRANSLATE_NOOP("DomainWords", "原件及复印件"),
    MaterialForm.ELECTRONIC: QT_TRANSLATE_NOOP("DomainWords", "电子材料"),
}


def word(text: str) -> str:
    """A fixed word of the services or the domain, in the interface's language."""
    return QCoreApplication.translate(CONTEXT, text)


def form_label(form: MaterialForm) -> str:
    """原件 / 复印件 / … in the interface's language."""
    return word(FORMS.get(form, form.label))


def blocker_lines(errors: int, first_error: str, missing: list[str], named_max: int
                  ) -> list[str]:
    """Why the case cannot be saved yet, one line per reason, in the interface's language
    (the services word the same facts in Chinese: IntakeSession.blockers)."""
    lines = []
    if errors:
        lines.append(QCoreApplication.translate(
            "DomainWords", "还有 {0} 处未填或有误（第一处：{1}）").format(errors, first_error))
    if len(missing) > named_max:
        lines.append(QCoreApplication.translate(
            "DomainWords", "未收材料 {0} 项（第一项：{1}）").format(len(missing), missing[0]))
    elif missing:
        sep = QCoreApplication.translate("DomainWords", "、")
        lines.append(QCoreApplication.translate("DomainWords", "未收材料：{0}").format(
            sep.join(missing)))
    return lines
