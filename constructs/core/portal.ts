/**
 * The Azure portal's provisioning page of an enterprise application. Microsoft does not document the portal's
 * deep links; this is the form the portal itself navigates to, so it may change without notice.
 */
export function provisioningPortalUrl(servicePrincipalObjectId: string): string {
  return `https://portal.azure.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Provisioning/objectId/${servicePrincipalObjectId}`;
}
