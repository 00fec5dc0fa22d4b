<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ErrorReporter</name>
    <message>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>程序遇到意外错误：{0}

已保存的案件不受影响。详细记录已写入 {1}，请联系区信息中心。</source>
        <translation>The program hit an unexpected error: {0}

Saved cases are not affected. Details were written to {1}; please contact the district IT centre.</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>错误：{0}</source>
        <translation>Error: {0}</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>首次使用：配置本站</source>
        <translation>First start: set up this station</translation>
    </message>
    <message>
        <source>扫描区后台发放的登记二维码，或粘贴登记串，站点信息会自动填好。也可以先不配置，在本机离线受理。</source>
        <translation>Scan the enrolment QR code issued by the district backend, or paste the enrolment string, and the station details fill themselves in. You can also skip this and take cases offline on this computer.</translation>
    </message>
    <message>
        <source>如 QDK01</source>
        <translation>e.g. QDK01</translation>
    </message>
    <message>
        <source>密钥只保存在本机，他人不可读</source>
        <translation>The secret is kept on this computer only, readable by no one else</translation>
    </message>
    <message>
        <source>登记串（扫码）</source>
        <translation>Enrolment string (scan)</translation>
    </message>
    <message>
        <source>站点编号</source>
        <translation>Station ID</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>后台地址</source>
        <translation>Backend URL</translation>
    </message>
    <message>
        <source>站点密钥</source>
        <translation>Station secret</translation>
    </message>
    <message>
        <source>保存并开始使用</source>
        <translation>Save and start</translation>
    </message>
    <message>
        <source>稍后配置（仅本机保存）</source>
        <translation>Set up later (save on this computer only)</translation>
    </message>
    <message>
        <source>稍后配置，仅本机保存</source>
        <translation>Set up later, save on this computer only</translation>
    </message>
    <message>
        <source>已读取登记串：站点 {0}。请填写站点名称后保存。</source>
        <translation>Enrolment string read: station {0}. Enter the station name, then save.</translation>
    </message>
    <message>
        <source>必须填写</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>未保存：有 {0} 处需要修改</source>
        <translation>Not saved: {0} field(s) need changes</translation>
    </message>
</context>
<context>
    <name>ItemDetail</name>
    <message>
        <source>事项详情</source>
        <translation>Service details</translation>
    </message>
    <message>
        <source>请在左侧选择事项</source>
        <translation>Choose a service on the left</translation>
    </message>
    <message>
        <source>输入汉字、全拼或拼音首字母查找，例如“txns”或“退休”。</source>
        <translation>Search by Chinese characters, full pinyin or pinyin initials, e.g. “txns” or “退休”.</translation>
    </message>
    <message>
        <source>单项事项 {0} · {1}</source>
        <translation>Single service {0} · {1}</translation>
    </message>
    <message>
        <source>又称</source>
        <translation>Also called</translation>
    </message>
    <message>
        <source>办理部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>办理对象</source>
        <translation>Who can apply</translation>
    </message>
    <message>
        <source>一事联办 {0} · 共 {1} 项，共用信息只填一次</source>
        <translation>Combined service {0} · {1} services, shared details entered once</translation>
    </message>
    <message>
        <source>包含事项</source>
        <translation>Includes</translation>
    </message>
    <message>
        <source>所需材料（{0}）</source>
        <translation>Materials required ({0})</translation>
    </message>
    <message>
        <source>{0} 份</source>
        <translation>{0} copies</translation>
    </message>
    <message>
        <source>非必需</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>〔视情况〕仅当“{0}”为“{1}”时需要</source>
        <translation>[conditional] needed only when “{0}” is “{1}”</translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <source>事项</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>〔一事联办〕</source>
        <translation>[combined] </translation>
    </message>
    <message>
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>事项</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>退出长辈版</source>
        <translation>Leave large print</translation>
    </message>
    <message>
        <source>长辈版</source>
        <translation>Large print</translation>
    </message>
    <message>
        <source>大字、高对比度界面</source>
        <translation>Large text, high contrast</translation>
    </message>
    <message>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <source>红色驿站服务终端 — {0}{1}</source>
        <translation>Red Station terminal — {0}{1}</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <source>快捷键 {0}</source>
        <translation>Shortcut {0}</translation>
    </message>
    <message>
        <source>Alt+1…4
切换页面</source>
        <translation>Alt+1…4
switch page</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>{0}暂时无法打开：{1}。详情已写入日志；其余功能不受影响，已保存的案件都在本机。</source>
        <translation>{0} cannot be opened right now: {1}. Details are in the log; everything else works and saved cases are on this computer.</translation>
    </message>
    <message>
        <source>本版本未包含{0}（缺少模块 {1}）。其余功能不受影响，已保存的案件都在本机。</source>
        <translation>This build does not include the {0} (module {1} is missing). Everything else works and saved cases are on this computer.</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>受理页面</source>
        <translation>intake page</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>办件页面</source>
        <translation>cases page</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>找不到办件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>保存回执</source>
        <translation>Save receipt</translation>
    </message>
    <message>
        <source>无法写入 {0}：{1}</source>
        <translation>Cannot write {0}: {1}</translation>
    </message>
    <message>
        <source>回执未保存</source>
        <translation>Receipt not saved</translation>
    </message>
    <message>
        <source>回执已保存到 {0}</source>
        <translation>Receipt saved to {0}</translation>
    </message>
    <message>
        <source>回执已保存</source>
        <translation>Receipt saved</translation>
    </message>
</context>
<context>
    <name>ServicesPage</name>
    <message>
        <source>输入汉字、全拼或首字母，如 txns、退休</source>
        <translation>Type characters, pinyin or initials, e.g. txns, 退休</translation>
    </message>
    <message>
        <source>查找事项</source>
        <translation>Find a service</translation>
    </message>
    <message>
        <source>事项分类</source>
        <translation>Service category</translation>
    </message>
    <message>
        <source>全部分类</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>查找结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>开始受理（Enter）</source>
        <translation>Start intake (Enter)</translation>
    </message>
    <message>
        <source>开始受理</source>
        <translation>Start intake</translation>
    </message>
    <message>
        <source>找到 {0} 项</source>
        <translation>{0} found</translation>
    </message>
    <message>
        <source>没有找到，请换个说法或检查分类</source>
        <translation>Nothing found; try other words or check the category</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>如 QDK01</source>
        <translation>e.g. QDK01</translation>
    </message>
    <message>
        <source>留空则不变；可粘贴或扫描登记串</source>
        <translation>Leave empty to keep; you may paste or scan an enrolment string</translation>
    </message>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source>标准版</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>长辈版（大字）</source>
        <translation>Large print</translation>
    </message>
    <message>
        <source>重新启动后生效</source>
        <translation>Takes effect after restart</translation>
    </message>
    <message>
        <source>印在回执和告知单上</source>
        <translation>Printed on receipts and notices</translation>
    </message>
    <message>
        <source>语言在重新启动后生效</source>
        <translation>The language changes after restart</translation>
    </message>
    <message>
        <source>站点编号</source>
        <translation>Station ID</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>后台地址</source>
        <translation>Backend URL</translation>
    </message>
    <message>
        <source>站点密钥</source>
        <translation>Station secret</translation>
    </message>
    <message>
        <source>同步间隔</source>
        <translation>Sync interval</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>界面</source>
        <translation>Look</translation>
    </message>
    <message>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>每次询问</source>
        <translation>Ask each time</translation>
    </message>
    <message>
        <source>已保存密钥</source>
        <translation>Secret saved</translation>
    </message>
    <message>
        <source>尚未保存密钥，无法与后台同步</source>
        <translation>No secret saved yet; cannot sync with the backend</translation>
    </message>
    <message>
        <source>保存失败：{0}</source>
        <translation>Could not save: {0}</translation>
    </message>
    <message>
        <source>已保存。后台地址、同步间隔和语言在重新启动后生效。</source>
        <translation>Saved. Backend URL, sync interval and language take effect after restart.</translation>
    </message>
    <message>
        <source>未保存：有 {0} 处需要修改</source>
        <translation>Not saved: {0} field(s) need changes</translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>操作员：{0}</source>
        <translation>Operator: {0}</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>未配置后台，案件已安全保存在本机</source>
        <translation>No backend configured; cases are safely saved on this computer</translation>
    </message>
    <message>
        <source>后台已配置，重新启动终端后开始同步</source>
        <translation>Backend configured; syncing starts after the terminal restarts</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>尚未连接</source>
        <translation>Not connected yet</translation>
    </message>
    <message>
        <source>离线，案件已安全保存在本机</source>
        <translation>Offline; cases are safely saved on this computer</translation>
    </message>
    <message>
        <source>待上报 {0}</source>
        <translation>Queued {0}</translation>
    </message>
    <message>
        <source>需处理 {0}</source>
        <translation>Need attention {0}</translation>
    </message>
    <message>
        <source>上次同步：尚无</source>
        <translation>Last sync: never</translation>
    </message>
    <message>
        <source>上次同步：{0}</source>
        <translation>Last sync: {0}</translation>
    </message>
    <message>
        <source>请先在“设置”中填写后台地址和站点密钥</source>
        <translation>First enter the backend URL and station secret in Settings</translation>
    </message>
    <message>
        <source>已请求同步</source>
        <translation>Sync requested</translation>
    </message>
    <message>
        <source>同步尚未运行，重新启动终端后开始</source>
        <translation>Sync is not running yet; it starts after the terminal restarts</translation>
    </message>
</context>
</TS>
