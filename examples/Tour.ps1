<#
.SYNOPSIS
A short tour of QlikQrs: connect, list, create, change and delete.

.DESCRIPTION
Runs against any QRS the certificates in -CertificatePath belong to; build.ps1 -Task Demo runs it against the sandbox.
It creates a tag and a stream named "QlikQrs tour ..." and removes them again.

.EXAMPLE
./examples/Tour.ps1 -ComputerName qlikserver1 -CertificatePath 'C:\ProgramData\Qlik\Sense\Repository\Exported Certificates\qlikserver1'
#>
[CmdletBinding()]
param(
    [string] $ComputerName = 'localhost',
    [int] $Port = 4242,
    [Parameter(Mandatory)]
    [string] $CertificatePath
)

$ErrorActionPreference = 'Stop'

$certificate = Import-QrsCertificate -Path $CertificatePath
Write-Host "Certificate: $certificate, root $($certificate.RootSubject)"

$connection = Connect-QrsServer -ComputerName $ComputerName -Port $Port -Certificate $certificate -PassThru
Write-Host "Connected to $($connection.BaseUri) as $($connection.User), QRS $($connection.QrsVersion)"

Write-Host "`nThe five newest apps:"
@(Invoke-QrsRequest /qrs/app/full -Query @{ orderby = 'createdDate desc' })[0..4] |
    ForEach-Object { Write-Host ("  {0,-40} {1,-20} {2}" -f $_.name, $_.stream.name, $_.owner.userId) }

$stamp = [DateTime]::Now.ToString('yyyyMMdd-HHmmss')
$tag = Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = "QlikQrs tour $stamp" }
Write-Host "`nCreated tag '$($tag.name)' ($($tag.id))"

$stream = Invoke-QrsRequest /qrs/stream -Method POST -Body @{ name = "QlikQrs tour $stamp"; tags = @(@{ id = $tag.id }) }
Write-Host "Created stream '$($stream.name)' tagged '$($stream.tags[0].name)'"

$renamed = Invoke-QrsRequest "/qrs/stream/$($stream.id)" -Method PUT -Body @{
    id = $stream.id; modifiedDate = $stream.modifiedDate; name = "QlikQrs tour $stamp (renamed)"
}
Write-Host "Renamed the stream to '$($renamed.name)'"

$count = (Invoke-QrsRequest /qrs/stream/count -Query @{ filter = "tags.name eq 'QlikQrs tour $stamp'" }).value
Write-Host "Streams with the tour's tag: $count"

Invoke-QrsRequest "/qrs/stream/$($stream.id)" -Method DELETE
Invoke-QrsRequest "/qrs/tag/$($tag.id)" -Method DELETE
Write-Host "Deleted the stream and the tag again."

Test-QrsConnection | ForEach-Object { Write-Host "`n$($_.Diagnosis)" }
Disconnect-QrsServer
