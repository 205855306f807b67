/** The console's Ant Design theme. */
/** Ant Design's defaults, darkened where their contrast falls under WCAG AA's 4.5:1 (axe checks every screen). */
export const theme = {
  token: {
    colorPrimary: '#1a5fb4',
    colorPrimaryHover: '#164f96',
    colorPrimaryActive: '#123f78',
    colorLinkHover: '#164f96',
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorInfoBg: '#e6f4ff',
    colorInfoBorder: '#91caff',
    colorLink: '#1a5fb4',
    colorInfo: '#1a5fb4',
    colorSuccess: '#2b7a0b',
    colorError: '#c62828',
    colorWarning: '#a15c00',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
  },
};
