<#
.SYNOPSIS
A short tour of QlikQrs: connect, list, create, change and delete.

.DESCRIPTION
Runs against any QRS the certificates in -CertificatePath belong to; build.ps1 -Task Demo runs it against the sandbox.
It creates a tag and a stream named "QlikQrs tour ..." with the typed cmdlets and removes them again.

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
@(Get-QrsEntity app -Full -OrderBy 'createdDate desc')[0..4] |
    ForEach-Object { Write-Host ("  {0,-40} {1,-20} {2}" -f $_.Name, $_.Stream.Name, $_.Owner.UserId) }

$stamp = [DateTime]::Now.ToString('yyyyMMdd-HHmmss')
$tag = New-QrsEntity tag @{ name = "QlikQrs tour $stamp" }
Write-Host "`nCreated tag '$($tag.Name)' ($($tag.Id))"

$stream = New-QrsStream -Name "QlikQrs tour $stamp"
$stream = $stream | Set-QrsEntity -Property @{ tags = @($tag) } -PassThru
Write-Host "Created stream '$($stream.Name)' tagged '$($stream.Tags[0].Name)'"

$renamed = $stream | Set-QrsStream -Name "QlikQrs tour $stamp (renamed)" -PassThru
Write-Host "Renamed the stream to '$($renamed.Name)'"

$count = Get-QrsEntity stream -Where @{ 'tags.name' = "QlikQrs tour $stamp" } -Count
Write-Host "Streams with the tour's tag: $count"

$renamed | Remove-QrsStream -Confirm:$false
$tag | Remove-QrsEntity -Confirm:$false
Write-Host "Deleted the stream and the tag again."

Test-QrsConnection | ForEach-Object { Write-Host "`n$($_.Diagnosis)" }
Disconnect-QrsServer
