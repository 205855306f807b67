/** 简体中文: an application's webhook endpoints. */
export const webhooks = {
  'hook.title': '结果通知（Webhook）',
  'hook.url': '接收地址',
  'hook.events': '事件',
  'hook.register': '登记接收地址',
  'hook.secretOnce': '签名密钥只显示这一次，请妥善保存：',
  'hook.pause': '暂停',
  'hook.resume': '恢复',
  'hook.rotate': '更换密钥',
  'hook.deliveries': '投递记录',
  'hook.replay': '重新投递',
  'hook.attempts': '尝试',
} as const;
