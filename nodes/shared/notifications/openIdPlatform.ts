/** Where the Teams calling platform publishes the keys that sign its call notifications (every named cloud). */
export const CALLING_PLATFORM_OPENID_CONFIG = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';
