<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AddressField</name>
    <message>
        <source>小区</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>楼栋</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>单元</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>门牌</source>
        <translation>Door no.</translation>
    </message>
    <message>
        <source>如 七里一村</source>
        <translation>e.g. 七里一村</translation>
    </message>
    <message>
        <source>如 5栋</source>
        <translation>e.g. 5栋</translation>
    </message>
    <message>
        <source>如 2</source>
        <translation>e.g. 2</translation>
    </message>
    <message>
        <source>如 301</source>
        <translation>e.g. 301</translation>
    </message>
    <message>
        <source>{0}·{1}</source>
        <translation>{0} · {1}</translation>
    </message>
</context>
<context>
    <name>AttachmentField</name>
    <message>
        <source>扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;所有文件 (*)</source>
        <translation>Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>{0}：选择文件</source>
        <translation>{0}: choose file</translation>
    </message>
    <message>
        <source>未选择文件</source>
        <translation>No file chosen</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>{0}：移除文件</source>
        <translation>{0}: remove file</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>选择{0}</source>
        <translation>Choose {0}</translation>
    </message>
</context>
<context>
    <name>CalendarPopup</name>
    <message>
        <source>选择日期</source>
        <translation>Choose a date</translation>
    </message>
</context>
<context>
    <name>CardOffersPanel</name>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>关闭读卡推荐</source>
        <translation>Close the suggestions for this card</translation>
    </message>
    <message>
        <source>可能要办（按年龄到期的年审）：</source>
        <translation>Probably here for (annual reviews due at this age):</translation>
    </message>
    <message>
        <source>在办的事项：</source>
        <translation>Open cases:</translation>
    </message>
    <message>
        <source>没有到期的年审，也没有在办的事项：请在下方查找要办的事项。</source>
        <translation>No annual review is due and no case is open: search for the service below.</translation>
    </message>
    <message>
        <source>（本年度已于 {0} 办理）</source>
        <translation> (already done this year on {0})</translation>
    </message>
</context>
<context>
    <name>CardQuestion</name>
    <message>
        <source>换成新读的身份证资料</source>
        <translation>Use the card just read</translation>
    </message>
    <message>
        <source>保留表上的资料</source>
        <translation>Keep the form as it is</translation>
    </message>
    <message>
        <source>表上已填了 {0} 的资料，读到的是 {1} 的身份证。要换成 {1} 的资料吗？（原填写内容会清空）</source>
        <translation>The form holds the data of {0}, but the card read is {1}&apos;s. Replace it with {1}&apos;s data? (What was typed is cleared.)</translation>
    </message>
</context>
<context>
    <name>CaseDetailPanel</name>
    <message>
        <source>办理经过</source>
        <translation>History</translation>
    </message>
    <message>
        <source>重新打印回执</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <source>好差评</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>办结回访</source>
        <translation>Close the follow-up</translation>
    </message>
    <message>
        <source>差评回访仅限管理员办结：请管理员点“锁定 / 切换用户”登录后办结。</source>
        <translation>Only an administrator can close a follow-up: ask one to sign in with “Lock / switch user”.</translation>
    </message>
    <message>
        <source>重新打印这件办件的回执</source>
        <translation>Reprint the receipt of this case</translation>
    </message>
    <message>
        <source>请申请人为本次服务评价</source>
        <translation>Ask the applicant to rate this service</translation>
    </message>
    <message>
        <source>填写差评的回访情况并办结</source>
        <translation>Record the callback on the poor rating and close the follow-up</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Reference no.</translation>
    </message>
    <message>
        <source>回执号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>受理时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>承诺办结</source>
        <translation>Promised by</translation>
    </message>
    <message>
        <source>当前状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>好差评</source>
        <comment>the resident&apos;s rating of the case</comment>
        <translation>Rating</translation>
    </message>
    <message>
        <source>差评回访</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>{0}：</source>
        <translation>{0}: </translation>
    </message>
    <message>
        <source>在列表中选择一件办件，这里显示它的详情和办理经过。</source>
        <translation>Choose a case in the list to see its details and history here.</translation>
    </message>
    <message>
        <source>请查看办理经过</source>
        <translation>See the history</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>下一步：</source>
        <translation>Next step: </translation>
    </message>
    <message>
        <source>{0}（{1} 分）</source>
        <translation>{0} ({1}/5)</translation>
    </message>
    <message>
        <source>尚未评价</source>
        <translation>Not rated yet</translation>
    </message>
    <message>
        <source>，原因：{0}</source>
        <translation>, reason: {0}</translation>
    </message>
    <message>
        <source>（共评价 {0} 次）</source>
        <translation> (rated {0} times)</translation>
    </message>
    <message>
        <source>待回访，期限 {0}</source>
        <translation>Open, due by {0}</translation>
    </message>
    <message>
        <source>待回访，期限待定</source>
        <translation>Open, due date to be set</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>上报区后台后返回</source>
        <translation>Issued once reported to the district</translation>
    </message>
    <message>
        <source>以承办部门答复为准</source>
        <translation>As set by the handling department</translation>
    </message>
</context>
<context>
    <name>CaseFilterBar</name>
    <message>
        <source>全部事项</source>
        <translation>All services</translation>
    </message>
    <message>
        <source>指定日期…</source>
        <translation>Choose dates…</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>From</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>To</translation>
    </message>
    <message>
        <source>姓名、身份证后 4 位或受理编号</source>
        <translation>Name, ID last 4 or ref.</translation>
    </message>
    <message>
        <source>状态(&amp;S)</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <source>事项(&amp;I)</source>
        <translation>Serv&amp;ice</translation>
    </message>
    <message>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>按状态筛选</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>按事项筛选</source>
        <translation>Filter by service</translation>
    </message>
    <message>
        <source>按受理日期筛选</source>
        <translation>Filter by intake date</translation>
    </message>
    <message>
        <source>查找：姓名、身份证后 4 位或受理编号</source>
        <translation>Find: name, last 4 ID digits or reference no.</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <source>受理编号</source>
        <translation>Reference no.</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>受理时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>受理编号 {0}</source>
        <translation>Reference no. {0}</translation>
    </message>
    <message>
        <source>状态：{0}</source>
        <translation>Status: {0}</translation>
    </message>
    <message>
        <source>上报：{0}</source>
        <translation>Sync: {0}</translation>
    </message>
    <message>
        <source>原因：{0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>办件数量</source>
        <translation>Number of cases</translation>
    </message>
    <message>
        <source>办件列表</source>
        <translation>Case list</translation>
    </message>
    <message>
        <source>办件列表的列</source>
        <translation>Case list columns</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 件</source>
        <translation>
            <numerusform>%n case</numerusform>
            <numerusform>%n cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComboChoiceField</name>
    <message>
        <source>请选择</source>
        <translation>Please choose</translation>
    </message>
</context>
<context>
    <name>ConfirmView</name>
    <message>
        <source>请您核对以下信息</source>
        <translation>Please check these details</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Back to edit</translation>
    </message>
    <message>
        <source>确认无误，提交</source>
        <translation>All correct, submit</translation>
    </message>
    <message>
        <source>办理事项：{0}</source>
        <translation>Applying for: {0}</translation>
    </message>
    <message>
        <source>{0}：</source>
        <translation>{0}: </translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>已收材料：{0}</source>
        <translation>Materials received: {0}</translation>
    </message>
    <message>
        <source>办结时限：{0}</source>
        <translation>Time limit: {0}</translation>
    </message>
</context>
<context>
    <name>CounterGuard</name>
    <message>
        <source>较长时间无操作，已自动锁定</source>
        <translation>Locked after a long time without activity</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>选择日期</source>
        <translation>Choose date</translation>
    </message>
    <message>
        <source>{0}：选择日期</source>
        <translation>{0}: choose date</translation>
    </message>
</context>
<context>
    <name>DomainWords</name>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>⚠ 需处理</source>
        <translation>⚠ Needs attention</translation>
    </message>
    <message>
        <source>待上报</source>
        <translation>Not yet reported</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>审核中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <source>补正材料</source>
        <translation>More materials needed</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>已领取</source>
        <translation>Collected</translation>
    </message>
    <message>
        <source>全部日期</source>
        <translation>All dates</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>原件</source>
        <translation>original</translation>
    </message>
    <message>
        <source>复印件</source>
        <translation>copy</translation>
    </message>
    <message>
        <source>原件及复印件</source>
        <translation>original and copy</translation>
    </message>
    <message>
        <source>电子材料</source>
        <translation>electronic</translation>
    </message>
    <message>
        <source>还有 {0} 处未填或有误（第一处：{1}）</source>
        <translation>Fields missing or wrong: {0} (first: {1})</translation>
    </message>
    <message>
        <source>未收材料 {0} 项（第一项：{1}）</source>
        <translation>Materials not received: {0} (first: {1})</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>未收材料：{0}</source>
        <translation>Materials not received: {0}</translation>
    </message>
</context>
<context>
    <name>DraftOffers</name>
    <message>
        <source>%m月%d日 %H:%M</source>
        <comment>strftime format of when the draft was last saved</comment>
        <translation>%m-%d %H:%M</translation>
    </message>
    <message>
        <source>有一份上次未完成的受理（{0}），可以恢复后继续办理。</source>
        <translation>There is an unfinished intake from {0}; you can resume it.</translation>
    </message>
    <message>
        <source>已恢复上次未完成的受理，请继续填写。</source>
        <translation>The unfinished intake was resumed; please carry on.</translation>
    </message>
</context>
<context>
    <name>ElderSwitch</name>
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
</context>
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
    <name>FieldPlaceholder</name>
    <message>
        <source>18 位号码，末位可为 X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <source>如 13812345678 或 027-84561234</source>
        <translation>e.g. 13812345678 or 027-84561234</translation>
    </message>
    <message>
        <source>单位：元，如 1234.50</source>
        <translation>In yuan, e.g. 1234.50</translation>
    </message>
    <message>
        <source>填写整数</source>
        <translation>A whole number</translation>
    </message>
    <message>
        <source>18 位统一社会信用代码</source>
        <translation>18-character unified social credit code</translation>
    </message>
    <message>
        <source>12–19 位数字</source>
        <translation>12–19 digits</translation>
    </message>
    <message>
        <source>如 2026-11-25 或 20261125</source>
        <translation>e.g. 2026-11-25 or 20261125</translation>
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
    <name>FieldWidget</name>
    <message>
        <source>{0}（选填）</source>
        <translation>{0} (optional)</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>首次设置管理员 — {0}</source>
        <translation>Set up the administrator — {0}</translation>
    </message>
    <message>
        <source>本机第一次使用：请设置管理员账号</source>
        <translation>First use of this computer: set up the administrator account</translation>
    </message>
    <message>
        <source>居民的个人信息将加密保存在本机，只有登录后才能查看。管理员可添加其他工作人员的账号。</source>
        <translation>Residents&apos; personal data is stored encrypted on this computer and can be seen only after signing in. The administrator can add accounts for other staff.</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码（至少 8 位）</source>
        <translation>Password (at least 8 characters)</translation>
    </message>
    <message>
        <source>再输入一次密码</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <source>创建管理员并加密本机数据</source>
        <translation>Create the administrator and encrypt the data</translation>
    </message>
    <message>
        <source>请抄写或打印恢复密钥</source>
        <translation>Write down or print the recovery key</translation>
    </message>
    <message>
        <source>所有管理员都忘记密码时，区信息中心凭这串恢复密钥打开本机数据。它只显示这一次，不保存在本机：请抄写或打印后交区信息中心保管。</source>
        <translation>If every administrator forgets their password, the district IT centre opens this computer&apos;s data with this recovery key. It is shown only once and is not kept on this computer: write it down or print it and hand it to the district IT centre.</translation>
    </message>
    <message>
        <source>我已抄写或打印恢复密钥</source>
        <translation>I have written down or printed the recovery key</translation>
    </message>
    <message>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
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
        <source>密钥只保存在本机，他人不可读</source>
        <translation>The secret is kept on this computer only, readable by no one else</translation>
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
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>办结差评回访</source>
        <translation>Close the follow-up of a poor rating</translation>
    </message>
    <message>
        <source>回访期限：{0}</source>
        <translation>Due by: {0}</translation>
    </message>
    <message>
        <source>回访期限：待节假日安排公布后确定</source>
        <translation>Due by: set once the holiday schedule is published</translation>
    </message>
    <message>
        <source>回访情况：联系了谁、居民怎么说、怎么整改（必填）</source>
        <translation>Callback notes: whom you reached, what the resident said, what was put right (required)</translation>
    </message>
    <message>
        <source>联系了谁、居民怎么说、怎么整改（必填）</source>
        <translation>Whom you reached, what the resident said, what was put right (required)</translation>
    </message>
    <message>
        <source>办结回访</source>
        <translation>Close the follow-up</translation>
    </message>
    <message>
        <source>办结回访，上报区里</source>
        <translation>Close the follow-up and report it to the district</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>取消，不办结</source>
        <translation>Cancel, do not close</translation>
    </message>
    <message>
        <source>回访情况最多 {0} 个字，请删减。</source>
        <translation>Callback notes take at most {0} characters; please shorten them.</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>读身份证（F2）</source>
        <translation>Read ID card (F2)</translation>
    </message>
    <message>
        <source>恢复上次未完成的受理</source>
        <translation>Resume unfinished intake</translation>
    </message>
    <message>
        <source>放弃草稿</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <source>打印一次性告知单</source>
        <translation>Print notice of missing items</translation>
    </message>
    <message>
        <source>核对并提交（Ctrl+Enter）</source>
        <translation>Review, submit (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>受理：{0}</source>
        <translation>Intake: {0}</translation>
    </message>
    <message>
        <source>✖ 还不能提交：{0}</source>
        <translation>✖ Cannot submit yet: {0}</translation>
    </message>
    <message>
        <source>✔ 信息齐全，材料已收，可以核对提交</source>
        <translation>✔ Details complete and materials received: ready to review and submit</translation>
    </message>
</context>
<context>
    <name>GroupField</name>
    <message>
        <source>添加家庭成员</source>
        <translation>Add family member</translation>
    </message>
    <message>
        <source>添加{0}</source>
        <translation>Add {0}</translation>
    </message>
    <message numerus="yes">
        <source>最多 %n 行</source>
        <translation>
            <numerusform>Up to %n row</numerusform>
            <numerusform>Up to %n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupRow</name>
    <message>
        <source>删除此行</source>
        <translation>Delete row</translation>
    </message>
    <message>
        <source>第 {0} 行</source>
        <translation>Row {0}</translation>
    </message>
    <message>
        <source>删除{0}第 {1} 行</source>
        <translation>Delete row {1} of {0}</translation>
    </message>
</context>
<context>
    <name>IntakeDevices</name>
    <message>
        <source>已读取 {0} 的身份证：姓名、身份证号、地址已填入，请核对地址。</source>
        <translation>ID card of {0} read: name, ID number and address are filled in. Please check the address.</translation>
    </message>
    <message>
        <source>已读入身份证号码 {0}：请填写姓名和地址。</source>
        <translation>ID number {0} read: please fill in the name and address.</translation>
    </message>
    <message>
        <source>身份证已于 {0} 过期，请提醒居民换领新证。</source>
        <translation> The ID card expired on {0}: remind the resident to renew it.</translation>
    </message>
    <message>
        <source>一次性告知单 {0}</source>
        <translation>One-time notice of missing materials {0}</translation>
    </message>
    <message>
        <source>告知单未能打印：{0}</source>
        <translation>The notice could not be printed: {0}</translation>
    </message>
    <message>
        <source>已取消打印一次性告知单。</source>
        <translation>Printing of the one-time notice of missing materials was cancelled.</translation>
    </message>
    <message>
        <source>一次性告知单已送打印机；本次填写已保存为草稿，补齐材料后可恢复。</source>
        <translation>The one-time notice of missing materials was sent to the printer. This form is saved as a draft and can be resumed once the materials are complete.</translation>
    </message>
</context>
<context>
    <name>IntakeLink</name>
    <message>
        <source>请居民在服务屏上核对并确认（居民不便操作时，可由您代为确认）</source>
        <translation>The resident checks and confirms on their screen (if they cannot, you may confirm for them)</translation>
    </message>
    <message>
        <source>未能保存，请稍候再按确认</source>
        <translation>Not saved: please wait a moment and press confirm again</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>未能保存（{0}）。资料仍在屏幕上，请再按“确认无误，提交”；反复失败请联系技术支持</source>
        <translation>Not saved ({0}). The details are still on screen: press “All correct, submit” again. If it keeps failing, contact technical support</translation>
    </message>
    <message>
        <source>草稿未能自动保存（磁盘或数据库出错），请尽快完成或联系技术支持。</source>
        <translation>The draft could not be saved automatically (disk or database error). Finish soon or contact technical support.</translation>
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
        <source>{0}：</source>
        <translation>{0}: </translation>
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
        <source>，</source>
        <translation>, </translation>
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
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <source>或</source>
        <translation> or </translation>
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
    <name>LockScreen</name>
    <message>
        <source>终端已锁定</source>
        <translation>The terminal is locked</translation>
    </message>
    <message>
        <source>{0}：{1}。正在填写的内容已保留，同步照常进行；本人或其他工作人员登录后继续。</source>
        <translation>{0}: {1}. What was being filled in is kept and sync goes on; sign in, or let a colleague sign in, to continue.</translation>
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
        <source>锁定 / 切换用户</source>
        <translation>Lock / switch user</translation>
    </message>
    <message>
        <source>锁定终端，或换一位工作人员登录</source>
        <translation>Lock the terminal, or let another staff member sign in</translation>
    </message>
    <message>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
</context>
<context>
    <name>MaterialRow</name>
    <message>
        <source>已收到：{0}</source>
        <translation>Received: {0}</translation>
    </message>
    <message>
        <source>【必交】</source>
        <translation>[Required] </translation>
    </message>
    <message>
        <source>【选交】</source>
        <translation>[Optional] </translation>
    </message>
    <message numerus="yes">
        <source>{0}，%n 份</source>
        <translation>
            <numerusform>{0}, %n copy</numerusform>
            <numerusform>{0}, %n copies</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}{1}（{2}）</source>
        <translation>{0}{1} ({2})</translation>
    </message>
</context>
<context>
    <name>MaterialsPanel</name>
    <message>
        <source>材料清单</source>
        <translation>Materials checklist</translation>
    </message>
    <message>
        <source>收到一份，勾选一份</source>
        <translation>Tick each material as it is handed in</translation>
    </message>
</context>
<context>
    <name>MultiChoiceField</name>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <source>快捷键 {0}</source>
        <translation>Shortcut {0}</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
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
    <name>QtPrinter</name>
    <message>
        <source>打印{0}</source>
        <translation>Print {0}</translation>
    </message>
    <message>
        <source>无法连接打印机：请检查打印机电源、纸张和连接线，或先另存为 PDF</source>
        <translation>Cannot reach the printer: check its power, paper and cable, or save as PDF first</translation>
    </message>
</context>
<context>
    <name>QuickAnswerBar</name>
    <message>
        <source>一键填写并核对：</source>
        <translation>One press, then review:</translation>
    </message>
    <message>
        <source>一键填写并核对：{0}</source>
        <translation>One press, then review: {0}</translation>
    </message>
</context>
<context>
    <name>RadioChoiceField</name>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>RatingDialog</name>
    <message>
        <source>好差评</source>
        <translation>Rate our service</translation>
    </message>
</context>
<context>
    <name>RatingFlow</name>
    <message>
        <source>这件办件已不在本机，评价未保存。</source>
        <translation>This case is no longer on this computer; the rating was not saved.</translation>
    </message>
    <message>
        <source>{0}&#x3000;{1}&#x3000;差评原因：{2}</source>
        <translation>{0}  {1}  Reason for the poor rating: {2}</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>这条回访已办结或已不在本机。</source>
        <translation>This follow-up is already closed or no longer on this computer.</translation>
    </message>
</context>
<context>
    <name>RatingPanel</name>
    <message>
        <source>请您为本次服务评价</source>
        <translation>Please rate our service today</translation>
    </message>
    <message>
        <source>{0}（{1} 分）</source>
        <translation>{0} ({1}/5)</translation>
    </message>
    <message>
        <source>暂不评价</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>暂不评价，关闭</source>
        <translation>Not now, close</translation>
    </message>
    <message>
        <source>请告诉我们哪里做得不好</source>
        <translation>Please tell us what was not good</translation>
    </message>
    <message>
        <source>选一项原因，我们会在规定时间内回访整改。</source>
        <translation>Choose one reason; we will call you back and put it right in time.</translation>
    </message>
    <message>
        <source>原因：{0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <source>还想说的话（可不填）</source>
        <translation>Anything else you want to say (optional)</translation>
    </message>
    <message>
        <source>还想说的话，可不填</source>
        <translation>Anything else you want to say, optional</translation>
    </message>
    <message>
        <source>返回重选</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>返回，重新选择满意程度</source>
        <translation>Back, choose the rating again</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Send the rating</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>关闭评价窗口</source>
        <translation>Close the rating window</translation>
    </message>
    <message>
        <source>已评价：{0}。可以重新选择。</source>
        <translation>Already rated: {0}. You may choose again.</translation>
    </message>
    <message>
        <source>请先选择一项原因，再提交评价。</source>
        <translation>Please choose a reason first, then send the rating.</translation>
    </message>
    <message>
        <source>谢谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>您的评价：{0}&#x3000;{1}
已保存。</source>
        <translation>Your rating: {0}  {1}
Saved.</translation>
    </message>
    <message>
        <source>我们会在 {0} 前回访您。</source>
        <translation>We will call you back by {0}.</translation>
    </message>
    <message>
        <source>评价未能保存</source>
        <translation>The rating could not be saved</translation>
    </message>
    <message>
        <source>请关闭后重新评价；如仍失败，请联系区信息中心。</source>
        <translation>Please close and rate again; if it still fails, contact the district IT centre.</translation>
    </message>
</context>
<context>
    <name>ReadAloudButton</name>
    <message>
        <source>朗读</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <source>用普通话读出本页内容，再按一次停止</source>
        <translation>Reads this page aloud in Mandarin; press again to stop</translation>
    </message>
    <message>
        <source>停止朗读（F9）</source>
        <translation>Stop reading (F9)</translation>
    </message>
    <message>
        <source>朗读（F9）</source>
        <translation>Read aloud (F9)</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>找不到办件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>回执未打印</source>
        <translation>Receipt not printed</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <source>请把回执交给办事人保管，凭受理编号查询进度。</source>
        <translation>Give the receipt to the applicant to keep: the reference number lets them check progress.</translation>
    </message>
    <message>
        <source>打印回执（Ctrl+P）</source>
        <translation>Print receipt (Ctrl+P)</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>回执预览</source>
        <translation>Receipt preview</translation>
    </message>
    <message>
        <source>✔ 已保存</source>
        <translation>✔ Saved</translation>
    </message>
    <message>
        <source>受理编号：{0}</source>
        <translation>Reference no. {0}</translation>
    </message>
    <message>
        <source>回执已送打印机</source>
        <translation>Receipt sent to the printer</translation>
    </message>
    <message>
        <source>已取消打印，可再按“打印回执”</source>
        <translation>Printing cancelled; press “Print receipt” to try again</translation>
    </message>
    <message>
        <source>回执-{0}.pdf</source>
        <translation>receipt-{0}.pdf</translation>
    </message>
    <message>
        <source>另存回执为 PDF</source>
        <translation>Save receipt as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>回执未能保存：{0}。请换一个文件夹再试</source>
        <translation>Receipt not saved: {0}. Please try another folder</translation>
    </message>
    <message>
        <source>回执已保存为 {0}</source>
        <translation>Receipt saved as {0}</translation>
    </message>
</context>
<context>
    <name>ResidentView</name>
    <message>
        <source>请把身份证平放在阅读器上，工作人员会为您办理。</source>
        <translation>Please lay your ID card flat on the reader; the staff will help you.</translation>
    </message>
    <message>
        <source>欢迎来到{0}</source>
        <translation>Welcome to {0}</translation>
    </message>
</context>
<context>
    <name>ResidentWindow</name>
    <message>
        <source>居民服务屏</source>
        <translation>Resident screen</translation>
    </message>
</context>
<context>
    <name>Screenshots</name>
    <message>
        <source>无法写入 {0}</source>
        <translation>Cannot write {0}</translation>
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
    <name>SettingsForm</name>
    <message>
        <source>如 QDK01</source>
        <translation>e.g. QDK01</translation>
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
        <source>不使用（手工录入）</source>
        <translation>None (type the values)</translation>
    </message>
    <message>
        <source>SDTAPI（精伦等）</source>
        <translation>SDTAPI (Routon and compatibles)</translation>
    </message>
    <message>
        <source>termb（华视等）</source>
        <translation>termb (CVR and compatibles)</translation>
    </message>
    <message>
        <source>键盘式（刷证时输入号码）</source>
        <translation>Keyboard (types the number)</translation>
    </message>
    <message>
        <source>留空则用厂商默认文件名</source>
        <translation>Empty: the vendor&apos;s default file name</translation>
    </message>
    <message>
        <source>印在回执和告知单上</source>
        <translation>Printed on receipts and notices</translation>
    </message>
    <message>
        <source>USB 阅读器一般为 1001</source>
        <translation>Usually 1001 for a USB reader</translation>
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
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>默认界面</source>
        <translation>Default look</translation>
    </message>
    <message>
        <source>身份证阅读器</source>
        <translation>ID-card reader</translation>
    </message>
    <message>
        <source>阅读器动态库</source>
        <translation>Reader library</translation>
    </message>
    <message>
        <source>阅读器端口</source>
        <translation>Reader port</translation>
    </message>
    <message>
        <source>每位居民办完后回到此界面；顶栏的“长辈版”只对眼前这位居民</source>
        <translation>Each resident&apos;s case ends in this look; the Large print button at the top is for the resident at the counter only</translation>
    </message>
    <message>
        <source>每次询问</source>
        <translation>Ask each time</translation>
    </message>
    <message>
        <source>未保存：有 {0} 处需要修改</source>
        <translation>Not saved: {0} field(s) need changes</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>留空则不变；可粘贴或扫描登记串</source>
        <translation>Leave empty to keep; you may paste or scan an enrolment string</translation>
    </message>
    <message>
        <source>重新启动后生效</source>
        <translation>Takes effect after restart</translation>
    </message>
    <message>
        <source>语言在重新启动后生效</source>
        <translation>The language changes after restart</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
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
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>设置仅限管理员修改：请管理员点“锁定 / 切换用户”登录后修改。</source>
        <translation>Only an administrator can change settings: an administrator signs in with “Lock / switch user” to change them.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>登录 — {0}</source>
        <translation>Sign in — {0}</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>请登录</source>
        <translation>Please sign in</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff number</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录提示</source>
        <translation>Sign-in message</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>请输入工号和密码</source>
        <translation>Enter your staff number and password</translation>
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
        <source>正在打开本站数据…</source>
        <translation>Opening the station data…</translation>
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
        <translation>Needs attention {0}</translation>
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
        <source>同步尚未运行，重新启动终端后开始</source>
        <translation>Sync is not running yet; it starts after the terminal restarts</translation>
    </message>
</context>
<context>
    <name>SyncResult</name>
    <message>
        <source>已有同步正在进行，稍后再看结果</source>
        <translation>A sync is already running; the result follows when it ends</translation>
    </message>
    <message>
        <source>同步未完成：{0}</source>
        <translation>Sync not finished: {0}</translation>
    </message>
    <message>
        <source>同步完成：上报 {0} 件，收到状态变更 {1} 条</source>
        <translation>Sync done: {0} sent, {1} status changes received</translation>
    </message>
    <message>
        <source>同步完成：没有待上报的办件，也没有新的状态变更</source>
        <translation>Sync done: nothing to send and no new status changes</translation>
    </message>
    <message>
        <source>；{0} 件需处理</source>
        <translation>; {0} need attention</translation>
    </message>
    <message>
        <source>；还有办件待发，稍后自动继续</source>
        <translation>; more to send, continuing shortly</translation>
    </message>
</context>
</TS>
