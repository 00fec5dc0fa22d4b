"""Style rules the intake screens add to the theme (station_app.ui.theme).

Check marks and radio dots grow with the text (large in 长辈版). A disabled button has a
dashed outline and a disabled main button is hollow (text kept readable), so neither looks
pressable; the line above the buttons says why it is disabled.
"""

PAGE_STYLE = """
QCheckBox::indicator, QRadioButton::indicator { width: 0.9em; height: 0.9em; }
QPushButton:disabled { border-style: dashed; }
QPushButton[role="primary"]:disabled {
    background: palette(window); color: palette(window-text);
    border: 2px dashed palette(window-text); font-weight: normal;
}
"""
