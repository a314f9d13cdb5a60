/** The iOS and Android SDKs' endpoints and upload format. */
export { handleMobile, type MobileContext } from './handler.js';
export { MOBILE_ROUTES, MOBILE_ENDPOINTS, type MobileCall } from './routes.js';
export { translateUpload, translateMessage, isMobileUpload, platformOf, type Translation, type NotTranslated, type MobilePlatform } from './translate.js';
export { parseLossless, quoteUnsafeIntegers } from './json.js';
